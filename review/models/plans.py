"""The agency's review plan for a cycle (第八条第（一）项): weights, rule, criteria, minimums."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind
from review.enums import Aggregation, Stage

MIN_GROUP_FLOOR = 3  # a trimmed mean needs at least three experts
WEIGHT_RANGE = _("权重须在0%%～100%%之间。")
PERCENT_RANGE = _("最低得分率须在0%%～100%%之间。")


class ReviewPlan(models.Model):
    cycle = models.OneToOneField(
        "award.Cycle",
        verbose_name=_("评选届次"),
        on_delete=models.PROTECT,
        related_name="review_plan",
    )
    starts_on = models.DateField(_("评审开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("评审结束日期"), null=True, blank=True)
    materials_weight = models.PositiveSmallIntegerField(
        _("材料评审权重（%）"), default=40, validators=[MaxValueValidator(100, WEIGHT_RANGE)]
    )
    site_visit_weight = models.PositiveSmallIntegerField(
        _("现场评审权重（%）"), default=40, validators=[MaxValueValidator(100, WEIGHT_RANGE)]
    )
    defence_weight = models.PositiveSmallIntegerField(
        _("陈述答辩权重（%）"), default=20, validators=[MaxValueValidator(100, WEIGHT_RANGE)]
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("评审组最少专家人数"),
        default=5,
        validators=[
            MinValueValidator(
                MIN_GROUP_FLOOR,
                _("评审组至少需要3名专家：去掉一个最高分和一个最低分后仍须有专家的评分。"),
            )
        ],
        help_text=_("回避后每件申报仍须有不少于此数的专家评审。"),
    )
    aggregation = models.CharField(
        _("环节得分计算规则"),
        max_length=16,
        choices=Aggregation.choices,
        default=Aggregation.CONSENSUS,
    )
    unit_criteria = models.ForeignKey(
        "review.CriteriaSet",
        verbose_name=_("单位评分标准"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": ApplicantKind.UNIT},
    )
    individual_criteria = models.ForeignKey(
        "review.CriteriaSet",
        verbose_name=_("个人评分标准"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": ApplicantKind.INDIVIDUAL},
    )
    award_min_percent = models.PositiveSmallIntegerField(
        _("市长质量奖最低得分率（%）"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100, PERCENT_RANGE)],
        help_text=_("可不设；设定后得分率低于此值的不列入该类别候选。"),
    )
    nomination_min_percent = models.PositiveSmallIntegerField(
        _("提名奖最低得分率（%）"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100, PERCENT_RANGE)],
    )
    exclude_same_county = models.BooleanField(
        _("同县区专家回避"), default=False, help_text=_("选中后，专家不评审本县区的申报。")
    )
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评审工作计划")
        verbose_name_plural = _("评审工作计划")
        constraints = [
            models.CheckConstraint(
                condition=Q(materials_weight=100 - F("site_visit_weight") - F("defence_weight")),
                name="review_plan_weights_sum_to_100",
                violation_error_message=_("三个评审环节的权重之和须为100%。"),
            )
        ]

    def __str__(self):
        return _("%(cycle)s评审工作计划") % {"cycle": self.cycle}

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def weights(self) -> dict[str, int]:
        return {
            Stage.MATERIALS: self.materials_weight,
            Stage.SITE_VISIT: self.site_visit_weight,
            Stage.DEFENCE: self.defence_weight,
        }

    @property
    def required_scored_stages(self) -> list[str]:
        """Scored stages with a weight: those every application must have signed."""
        return [stage for stage, weight in self.weights.items() if weight > 0]

    def criteria_set_for(self, kind: str):
        return self.unit_criteria if kind == ApplicantKind.UNIT else self.individual_criteria

    def criteria_set_id_for(self, kind: str) -> int:
        return self.unit_criteria_id if kind == ApplicantKind.UNIT else self.individual_criteria_id

    def clean(self):
        errors = {}
        if self.materials_weight + self.site_visit_weight + self.defence_weight != 100:
            errors["materials_weight"] = _(
                "材料评审、现场评审、陈述答辩的权重之和须为100%%，现为%(total)s%%。"
            ) % {"total": self.materials_weight + self.site_visit_weight + self.defence_weight}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("评审结束日期不能早于开始日期。")
        if self.unit_criteria_id and self.unit_criteria.kind != ApplicantKind.UNIT:
            errors["unit_criteria"] = _("请选择适用于申报单位的评分标准。")
        if (
            self.individual_criteria_id
            and self.individual_criteria.kind != ApplicantKind.INDIVIDUAL
        ):
            errors["individual_criteria"] = _("请选择适用于申报个人的评分标准。")
        award, nomination = self.award_min_percent, self.nomination_min_percent
        if award is not None and nomination is not None and nomination > award:
            errors["nomination_min_percent"] = _("提名奖最低得分率不能高于市长质量奖最低得分率。")
        if errors:
            raise ValidationError(errors)
