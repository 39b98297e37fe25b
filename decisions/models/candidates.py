"""The candidate list (候选名单, 第十四条第（五）项): reviewed applications the office nominates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidateList(models.Model):
    """One cycle's list, with the optional minimum final score per applicant kind."""

    cycle = models.OneToOneField(
        "award.Cycle",
        verbose_name=_("评选届次"),
        on_delete=models.PROTECT,
        related_name="candidate_list",
    )
    min_score_unit = models.DecimalField(
        _("单位类最低分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    min_score_individual = models.DecimalField(
        _("个人类最低分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    sent_at = models.DateTimeField(_("提交领导小组审议时间"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("候选名单")
        verbose_name_plural = _("候选名单")

    def __str__(self):
        return str(_("%(cycle)s候选名单") % {"cycle": self.cycle})


class Candidate(models.Model):
    """A nominated application with the scores it was nominated on (frozen at nomination)."""

    candidate_list = models.ForeignKey(
        CandidateList,
        verbose_name=_("候选名单"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="candidacy",
    )
    final_score = models.DecimalField(
        _("综合得分"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("列入时的最终得分；未经评分的为空（无评分）。"),
    )
    stage_scores = models.JSONField(_("各环节得分"), default=dict, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("列入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    nominated_at = models.DateTimeField(_("列入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("候选对象")
        verbose_name_plural = _("候选对象")
        ordering = ["candidate_list", "application__kind", "-final_score", "pk"]

    def __str__(self):
        return self.application.name
