"""Files attached to an application: 自我评价报告, evidence, photo, internal publicity proof."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import DocumentKind
from award.models.choices import CachedChoiceLabelsMixin

# What each kind may contain (checked by content) and which cycle limit caps its size.
ALLOWED_TYPES = {
    DocumentKind.SELF_ASSESSMENT: {"pdf"},
    DocumentKind.EVIDENCE: {"pdf", "jpg", "png"},
    DocumentKind.PHOTO: {"jpg", "png"},
    DocumentKind.INTERNAL_PUBLICITY_PROOF: {"pdf", "jpg", "png"},
}
SINGLE_KINDS = frozenset(
    {DocumentKind.SELF_ASSESSMENT, DocumentKind.PHOTO, DocumentKind.INTERNAL_PUBLICITY_PROOF}
)


def document_path(instance, filename):
    """A random name outside any public folder; the original name lives in the row."""
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet):
    def current(self):
        """Documents that belong to the application as it stands (not retired)."""
        return self.filter(removed_at__isnull=True)


class ApplicationDocument(CachedChoiceLabelsMixin, models.Model):
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("材料类别"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    frozen_in_round = models.PositiveSmallIntegerField(
        _("冻结于第几轮提报"),
        null=True,
        blank=True,
        help_text=_("提交后材料即冻结，不能修改或删除（DESIGN.md §8）。"),
    )
    # A frozen document the applicant takes out while revising is retired, not deleted:
    # the snapshot of the round it was submitted in still refers to it.
    removed_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.frozen_in_round is not None
