"""What was submitted in each round, frozen: form, profile, documents, 承诺, and its PDF."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def snapshot_pdf_path(instance, filename):
    return f"applications/{instance.application_id}/forms/{uuid.uuid4().hex}.pdf"


class ApplicationSnapshot(models.Model):
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="snapshots",
    )
    round = models.PositiveSmallIntegerField(_("提报轮次"))
    form_data = models.JSONField(_("申报表内容"))
    profile_data = models.JSONField(_("主体信息"))
    documents = models.JSONField(_("材料清单"), help_text=_("每份材料的名称、类别与SHA-256。"))
    declarations = models.JSONField(_("承诺书"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    pdf = models.FileField(_("申报表PDF"), upload_to=snapshot_pdf_path, max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    # The render job's outbox: last successful queueing, how many, and when the sweep gave up.
    pdf_queued_at = models.DateTimeField(null=True, blank=True)
    pdf_attempts = models.PositiveSmallIntegerField(default=0)
    pdf_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("申报提交快照")
        verbose_name_plural = _("申报提交快照")
        ordering = ["application", "round"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="one_snapshot_per_round")
        ]

    def __str__(self):
        return _("%(application)s 第%(round)s轮提报") % {
            "application": self.application_id,
            "round": self.round,
        }
