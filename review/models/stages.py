"""Records of the review stages: pass/fail checks, the site visit, submissions, sign-offs."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from award.models.fields import BoundedTextField
from award.text import LONG_TEXT, REASON_TEXT
from review.enums import CHECK_STAGES, SCORED_STAGES, Stage


def evidence_path(instance, filename):
    """A random name outside any public folder; the original name lives in the row."""
    return f"review/{instance.application_id}/{uuid.uuid4().hex}"


class StageCheck(models.Model):
    """舆情调查 or 资格审查: passed or failed, on the evidence; a fail ends the review."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="review_checks",
    )
    stage = models.CharField(
        _("评审环节"), max_length=20, choices=[(s.value, s.label) for s in CHECK_STAGES]
    )
    passed = models.BooleanField(_("是否通过"))
    evidence = BoundedTextField(_("调查或审查情况"), max_length=LONG_TEXT, blank=True)
    evidence_file = models.FileField(
        _("证明材料"), upload_to=evidence_path, max_length=200, blank=True
    )
    evidence_name = models.CharField(_("证明材料文件名"), max_length=200, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    reason = BoundedTextField(_("不通过的理由"), max_length=REASON_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("舆情调查/资格审查记录")
        verbose_name_plural = _("舆情调查/资格审查记录")
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="one_check_per_stage")
        ]

    def __str__(self):
        return f"{self.application} · {self.get_stage_display()}"


class SiteVisit(models.Model):
    """现场评审: when the group visited and what it found."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="review_site_visit",
    )
    visited_on = models.DateField(_("现场评审日期"))
    issues_found = BoundedTextField(_("发现的问题"), max_length=LONG_TEXT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("现场评审记录")
        verbose_name_plural = _("现场评审记录")

    def __str__(self):
        return f"{self.application} · {self.visited_on}"


_scored = [(s.value, s.label) for s in SCORED_STAGES]


class StageSubmission(models.Model):
    """An expert's independent scores of a stage handed in; they cannot change after."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("评审环节"), max_length=20, choices=_scored)
    expert = models.ForeignKey(
        "review.Expert",
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    excluded = models.BooleanField(
        _("已作废"), default=False, help_text=_("专家回避、被取消资格或撤销分配后不再计入。")
    )

    class Meta:
        verbose_name = _("评分提交")
        verbose_name_plural = _("评分提交")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "expert"],
                condition=Q(excluded=False),
                name="one_live_submission_per_expert_stage",
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.get_stage_display()} · {self.expert}"


class StageSignOff(models.Model):
    """The group leader's signature on a stage: its scores are locked from then on."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("评审环节"), max_length=20, choices=_scored)
    group = models.ForeignKey("review.ReviewGroup", on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        "review.Expert", verbose_name=_("签字组长"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("签字时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("环节签字确认")
        verbose_name_plural = _("环节签字确认")
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="one_signoff_per_stage")
        ]

    def __str__(self):
        return f"{self.application} · {Stage(self.stage).label}"
