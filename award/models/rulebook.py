"""The regulation's numbers as data, with the dates they are in force (DESIGN.md §3)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from award.enums import AwardCategory


def default_categories():
    return [AwardCategory.AWARD.value, AwardCategory.NOMINATION.value]


class Rulebook(models.Model):
    name = models.CharField(_("名称"), max_length=120)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("有效期至"), null=True, blank=True)
    cycle_years = models.PositiveSmallIntegerField(_("评审周期（年）"), help_text=_("第四条"))
    categories = models.JSONField(_("奖项类别"), default=default_categories, help_text=_("第四条"))
    max_winners_per_category = models.PositiveSmallIntegerField(
        _("每类每届最多获评数"), help_text=_("第四条")
    )
    unit_min_years = models.PositiveSmallIntegerField(
        _("单位最少正常运行年限"), help_text=_("第十条第（一）项")
    )
    unit_min_years_new_field = models.PositiveSmallIntegerField(
        _("“四新”领域单位最少正常运行年限"), help_text=_("第十条第（一）项")
    )
    lookback_years = models.PositiveSmallIntegerField(
        _("事故与违法行为追溯年限"), help_text=_("第十条第（五）（六）项、第十二条第（六）项")
    )
    individual_min_quality_years = models.PositiveSmallIntegerField(
        _("个人在本市从事质量工作最少年限"), help_text=_("第十二条第（二）项")
    )
    publicity_working_days = models.PositiveSmallIntegerField(
        _("公示期（工作日）"), help_text=_("第十四条第（六）项")
    )
    max_unit_reward_yuan = models.PositiveIntegerField(
        _("单位奖励上限（元）"), help_text=_("第十五条")
    )
    meeting_quorum_percent = models.PositiveSmallIntegerField(
        _("领导小组审议法定出席比例（%）"),
        default=50,
        help_text=_("出席成员须超过领导小组成员总数的该比例，方可审议表决。"),
    )
    charges_fees = models.BooleanField(_("向申报者收费"), default=False, help_text=_("第十六条"))

    class Meta:
        verbose_name = _("评定规则")
        verbose_name_plural = _("评定规则")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name}（{self.document_number}）" if self.document_number else self.name

    def clean(self):
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("有效期截止日期不能早于施行日期。")})
        unknown = set(self.categories or []) - set(AwardCategory.values)
        if not self.categories or unknown:
            raise ValidationError({"categories": _("奖项类别只能是第四条规定的两个类别。")})

    def in_force_on(self, day) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def category_labels(self) -> list[str]:
        return [str(AwardCategory(code).label) for code in self.categories]
