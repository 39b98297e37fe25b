"""Criteria as data: a set (GB/T 19580 for units, 第十二条 for individuals) and its items."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind
from review.enums import CriterionKind


class CriteriaSet(models.Model):
    name = models.CharField(_("评分标准名称"), max_length=120)
    kind = models.CharField(_("适用对象"), max_length=12, choices=ApplicantKind.choices)
    is_default = models.BooleanField(
        _("系统默认"), default=False, help_text=_("默认标准不能修改，可复制后修改副本。")
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        ordering = ["kind", "-is_default", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_default=True), name="one_default_criteria_set"
            )
        ]

    def __str__(self):
        return self.name


class CriterionQuerySet(models.QuerySet):
    def items(self):
        """The scored items: the leaves (category rows only sum their children)."""
        return self.filter(children__isnull=True)


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("评分标准"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属类目"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("条款号"), max_length=12)
    name = models.CharField(_("评分项"), max_length=60)
    points = models.PositiveSmallIntegerField(_("分值"))
    kind = models.CharField(
        _("类型"),
        max_length=8,
        choices=CriterionKind.choices,
        blank=True,
        help_text=_(
            "过程类按方法-展开-学习-整合评价，结果类按水平-趋势-对比-整合评价；类目行留空。"
        ),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["criteria_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="criterion_code_unique_in_set"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"
