"""Periodic assessment of the winners (第二十五条): a round the office plans, one record per
honour it covers, with findings on 守法经营、示范引领、持续改进 and an outcome."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from award.fsm import condition
from award.models.choices import CachedChoiceLabelsMixin
from award.models.fields import BoundedTextField
from award.permissions import is_office
from award.text import LONG_TEXT, NOTE_TEXT, REASON_TEXT
from revocation.enums import AssessmentOutcome, RoundState

ARTICLE = "第二十五条"


class AssessmentRound(CachedChoiceLabelsMixin, FSMModelMixin, models.Model):
    name = models.CharField(_("评估名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("评估年度"))
    due_on = models.DateField(_("完成期限"))
    cycles = models.ManyToManyField(
        "award.Cycle", verbose_name=_("覆盖届次"), related_name="assessment_rounds"
    )
    agency = models.ForeignKey(
        "award.Agency",
        verbose_name=_("协助评估的第三方机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_rounds",
    )
    state = FSMField(
        _("状态"),
        max_length=10,
        choices=RoundState.choices,
        default=RoundState.OPEN,
        protected=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("定期评估")
        verbose_name_plural = _("定期评估")
        ordering = ["-year", "-pk"]

    def __str__(self):
        return self.name

    fsm_never = _("只有质量强市办可以组织定期评估（第二十五条）。")

    @condition(_("尚有评估记录未作出结论。"))
    def all_decided(self) -> bool:
        return not self.records.filter(outcome="").exists()

    # The round closes itself once every record has an outcome (record_decide).
    @transition(
        field=state,
        source=RoundState.OPEN,
        target=RoundState.CLOSED,
        conditions=[all_decided],
        permission=lambda round_, user: is_office(user),
        custom={"label": _("完成定期评估"), "article": ARTICLE},
    )
    def close(self):
        self.closed_at = timezone.now()


class AssessmentRecord(CachedChoiceLabelsMixin, models.Model):
    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("定期评估"),
        on_delete=models.CASCADE,
        related_name="records",
    )
    honour = models.ForeignKey(
        "decisions.Honour",
        verbose_name=_("荣誉"),
        on_delete=models.PROTECT,
        related_name="assessment_records",
    )
    lawful = BoundedTextField(_("守法经营"), max_length=LONG_TEXT, blank=True)
    leadership = BoundedTextField(_("示范引领"), max_length=LONG_TEXT, blank=True)
    improvement = BoundedTextField(_("持续改进"), max_length=LONG_TEXT, blank=True)
    proposed_outcome = models.CharField(
        _("建议结论"), max_length=10, choices=AssessmentOutcome.choices, blank=True
    )
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filled_at = models.DateTimeField(_("填写时间"), null=True, blank=True)
    outcome = models.CharField(
        _("评估结论"), max_length=10, choices=AssessmentOutcome.choices, blank=True
    )
    interview_on = models.DateField(_("约谈日期"), null=True, blank=True)
    interview_attendees = models.CharField(_("参加人员"), max_length=NOTE_TEXT, blank=True)
    interview_minutes = BoundedTextField(_("约谈纪要"), max_length=LONG_TEXT, blank=True)
    follow_up = BoundedTextField(_("整改要求"), max_length=REASON_TEXT, blank=True)
    follow_up_due = models.DateField(_("整改期限"), null=True, blank=True)
    case = models.OneToOneField(
        "revocation.RevocationCase",
        verbose_name=_("撤销案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_record",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评估记录")
        verbose_name_plural = _("评估记录")
        ordering = ["round", "honour__holder_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "honour"], name="one_record_per_honour")
        ]

    def __str__(self):
        return f"{self.round}：{self.honour.holder_name}"

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    @property
    def findings_complete(self) -> bool:
        return bool(self.lawful and self.leadership and self.improvement)


def evidence_path(instance, filename):
    return f"assessments/{instance.record_id}/{uuid.uuid4().hex}"


class AssessmentEvidence(models.Model):
    record = models.ForeignKey(
        AssessmentRecord, verbose_name=_("评估记录"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("证明材料"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评估证明材料")
        verbose_name_plural = _("评估证明材料")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name
