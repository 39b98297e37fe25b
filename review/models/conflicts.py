"""回避: each expert's declaration per assignment, and every exclusion with its reason."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from award.models.fields import BoundedTextField
from award.text import NOTE_TEXT
from review.enums import ExclusionSource


class ConflictDeclaration(models.Model):
    """Made before the expert sees the application: a relationship, or none."""

    assignment = models.ForeignKey(
        "review.Assignment",
        verbose_name=_("评审分配"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    expert = models.ForeignKey(
        "review.Expert", verbose_name=_("专家"), on_delete=models.PROTECT, related_name="+"
    )
    has_conflict = models.BooleanField(_("存在利害关系"))
    relationship = BoundedTextField(_("利益关系说明"), max_length=NOTE_TEXT, blank=True)
    declared_at = models.DateTimeField(_("声明时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避声明")
        verbose_name_plural = _("回避声明")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "expert"], name="one_declaration_per_expert_assignment"
            )
        ]

    def __str__(self):
        return f"{self.expert} · {self.assignment}"


class Exclusion(models.Model):
    """An expert kept off an application, for good (the reason stays on record)."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="review_exclusions",
    )
    expert = models.ForeignKey(
        "review.Expert", verbose_name=_("专家"), on_delete=models.PROTECT, related_name="exclusions"
    )
    source = models.CharField(_("回避方式"), max_length=10, choices=ExclusionSource.choices)
    reason = models.TextField(_("回避原因"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避记录")
        verbose_name_plural = _("回避记录")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="one_exclusion_per_expert_application"
            )
        ]

    def __str__(self):
        return f"{self.expert} · {self.application}"
