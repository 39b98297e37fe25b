"""Scores: each expert's per item, the leader's consensus, and audited later corrections."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from award.models.fields import BoundedTextField
from award.text import REASON_TEXT
from review.enums import SCORED_STAGES
from review.scoring import PERCENTAGES

_scored = [(s.value, s.label) for s in SCORED_STAGES]
_percentage_in_bands = Q(percentage__in=PERCENTAGES)


class ScoreFields(models.Model):
    """What every score row carries: the item, a percentage in steps of 5, its points."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("评审环节"), max_length=20, choices=_scored)
    criterion = models.ForeignKey(
        "review.Criterion", verbose_name=_("评分项"), on_delete=models.PROTECT, related_name="+"
    )
    percentage = models.PositiveSmallIntegerField(_("得分比例（%）"))
    points = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)

    class Meta:
        abstract = True


class Score(ScoreFields):
    expert = models.ForeignKey(
        "review.Expert", verbose_name=_("专家"), on_delete=models.PROTECT, related_name="scores"
    )
    strengths = BoundedTextField(_("优势"), max_length=REASON_TEXT, blank=True)
    opportunities = BoundedTextField(_("改进机会"), max_length=REASON_TEXT, blank=True)
    excluded = models.BooleanField(
        _("已作废"), default=False, help_text=_("专家回避、被取消资格或撤销分配后不再计入。")
    )
    excluded_reason = models.TextField(_("作废原因"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "expert", "criterion"],
                condition=Q(excluded=False),
                name="one_live_score_per_expert_item",
            ),
            models.CheckConstraint(
                condition=_percentage_in_bands, name="score_percentage_in_bands"
            ),
        ]
        indexes = [
            models.Index(
                fields=["application", "stage", "expert"],
                include=["points"],
                condition=Q(excluded=False),
                name="score_totals_idx",
            )
        ]

    def __str__(self):
        return f"{self.expert} · {self.criterion} · {self.percentage}%"


class ConsensusScore(ScoreFields):
    """The group's agreed percentage per item, recorded by the leader after all submitted."""

    strengths = BoundedTextField(_("优势"), max_length=REASON_TEXT, blank=True)
    opportunities = BoundedTextField(_("改进机会"), max_length=REASON_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        "review.Expert", verbose_name=_("组长"), on_delete=models.PROTECT, related_name="+"
    )
    excluded = models.BooleanField(_("已作废"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("合议评分")
        verbose_name_plural = _("合议评分")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "criterion"],
                condition=Q(excluded=False),
                name="one_live_consensus_per_item",
            ),
            models.CheckConstraint(
                condition=_percentage_in_bands, name="consensus_percentage_in_bands"
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.criterion} · {self.percentage}%"


class ScoreCorrection(ScoreFields):
    """A change after sign-off: a new row beside the original, never an overwrite.

    `expert` empty: the consensus item is corrected; set: that expert's item. `delta` is the
    change in points against the value before, so a stage total is the original total plus
    the sum of its corrections' deltas.
    """

    expert = models.ForeignKey(
        "review.Expert",
        verbose_name=_("被更正的专家评分"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    previous_percentage = models.PositiveSmallIntegerField(_("更正前得分比例（%）"))
    previous_points = models.DecimalField(_("更正前得分"), max_digits=7, decimal_places=2)
    delta = models.DecimalField(_("分差"), max_digits=7, decimal_places=2)
    reason = BoundedTextField(_("更正原因"), max_length=REASON_TEXT)
    corrected_by = models.ForeignKey(
        "review.Expert", verbose_name=_("更正组长"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分更正")
        verbose_name_plural = _("评分更正")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_percentage_in_bands, name="correction_percentage_in_bands"
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.criterion} → {self.percentage}%"
