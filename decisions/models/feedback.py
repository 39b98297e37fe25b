"""Feedback reports (反馈报告): what an applicant learns from its review after 公布."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackReport(models.Model):
    """Per criterion the band reached and the consensus comments, and the totals per category,
    frozen at 公布; never an expert's name or an individual expert's score."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="feedback_report",
    )
    content = models.JSONField(_("报告内容"), default=dict)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("反馈报告")
        verbose_name_plural = _("反馈报告")

    def __str__(self):
        return str(_("%(name)s反馈报告") % {"name": self.application})
