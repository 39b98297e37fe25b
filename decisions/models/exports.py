"""Batch files of a cycle built by the worker: every certificate, and the cycle's archive."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from award.models.choices import CachedChoiceLabelsMixin
from decisions.enums import ExportKind, ExportState


def export_path(instance, filename):
    return f"exports/{instance.cycle_id}/{instance.kind}-{uuid.uuid4().hex}.zip"


class CycleExport(CachedChoiceLabelsMixin, models.Model):
    """One file per cycle and kind: running the job again rebuilds the same row's file."""

    cycle = models.ForeignKey(
        "award.Cycle", verbose_name=_("评选届次"), on_delete=models.PROTECT, related_name="exports"
    )
    kind = models.CharField(_("文件类别"), max_length=12, choices=ExportKind.choices)
    state = models.CharField(
        _("状态"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED
    )
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    file = models.FileField(_("文件"), upload_to=export_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The running build's last sign of life: silent for EXPORT_STALE_SECONDS, it is taken as
    # lost with its worker and resumed (decisions.services.exports.resume_lost_exports).
    progress_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("批量文件")
        verbose_name_plural = _("批量文件")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="one_export_per_cycle_and_kind")
        ]

    def __str__(self):
        return f"{self.cycle} {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        """Queued or running: the page polls its progress."""
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)
