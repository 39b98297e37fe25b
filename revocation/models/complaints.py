"""Complaints (举报投诉, 第二十一条): the public tells 质量强市办 of breaches of the award's rules;
the office accepts or refuses each, investigates and closes it with a result the complainant
reads by the receipt code. The complainant's identity is for the office (and auditor) only."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from award.models.choices import CachedChoiceLabelsMixin
from award.models.fields import BoundedTextField
from award.permissions import is_office
from award.text import LONG_TEXT, REASON_TEXT
from revocation.enums import (
    ComplainantKind,
    ComplaintFileKind,
    ComplaintState,
    ComplaintSubjectKind,
)

ARTICLE = "第二十一条"

# Crockford's base 32 (no I, L, O, U): read aloud and typed back without confusion.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 12


def new_complaint_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(RECEIPT_LENGTH))


def office_acts(instance, user) -> bool:
    return is_office(user)


class ComplaintSettings(models.Model):
    """The office's one row of complaint settings: anonymous complaints off unless it decides."""

    allows_anonymous = models.BooleanField(
        _("受理匿名举报投诉"),
        default=False,
        help_text=_("凡以匿名方式提出举报投诉的，不予受理；确需受理的，由质量强市办决定。"),
    )
    contact = models.CharField(
        _("举报投诉受理联系方式"),
        max_length=200,
        blank=True,
        help_text=_("例如：质量强市办，电话0539-0000000，地址……"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("举报投诉设置")
        verbose_name_plural = _("举报投诉设置")

    def __str__(self):
        return str(_("举报投诉设置"))


class Complaint(CachedChoiceLabelsMixin, models.Model):
    receipt_code = models.CharField(
        _("受理回执号"),
        max_length=RECEIPT_LENGTH,
        unique=True,
        default=new_complaint_receipt,
        editable=False,
    )
    handling = FSMField(
        _("办理状态"),
        max_length=16,
        choices=ComplaintState.choices,
        default=ComplaintState.RECEIVED,
        protected=True,
    )
    complainant_kind = models.CharField(
        _("举报人类型"), max_length=10, choices=ComplainantKind.choices
    )
    name = models.CharField(_("姓名/单位名称"), max_length=120, blank=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_person = models.CharField(_("单位联系人"), max_length=40, blank=True)
    subject = models.CharField(_("被举报对象"), max_length=200)
    subject_kind = models.CharField(
        _("被举报对象类别"), max_length=12, choices=ComplaintSubjectKind.choices, blank=True
    )
    facts = BoundedTextField(_("反映的问题"), max_length=LONG_TEXT)
    # What the office linked the complaint to, once it has looked into it.
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("涉及的申报"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    expert = models.ForeignKey(
        "review.Expert",
        verbose_name=_("涉及的评审专家"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    honour = models.ForeignKey(
        "decisions.Honour",
        verbose_name=_("涉及的荣誉"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    case = models.ForeignKey(
        "revocation.RevocationCase",
        verbose_name=_("撤销案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    rejection_reason = BoundedTextField(_("不予受理理由"), max_length=REASON_TEXT, blank=True)
    result = BoundedTextField(_("办理结果"), max_length=LONG_TEXT, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The public form's one-time token (award.forms.once): a double click files once.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    fsm_never = _("只有质量强市办可以办理举报投诉（第二十一条）。")

    class Meta:
        verbose_name = _("举报投诉")
        verbose_name_plural = _("举报投诉")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["handling", "submitted_at"])]

    def __str__(self):
        return str(_("举报投诉 %(code)s") % {"code": self.receipt_code})

    @property
    def is_anonymous(self) -> bool:
        return self.complainant_kind == ComplainantKind.ANONYMOUS

    @property
    def masked_id_number(self) -> str:
        value = self.id_number
        return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}" if len(value) > 7 else value

    @property
    def masked_phone(self) -> str:
        value = self.phone
        return f"{value[:3]}****{value[-4:]}" if len(value) >= 8 else value

    # Transitions. Bodies only set fields; services check, lock, audit and notify.

    @transition(
        field=handling,
        source=ComplaintState.RECEIVED,
        target=ComplaintState.INVESTIGATING,
        permission=office_acts,
        custom={"label": _("受理"), "article": ARTICLE},
    )
    def accept(self, *, by):
        self.accepted_by = by
        self.accepted_at = timezone.now()

    @transition(
        field=handling,
        source=ComplaintState.RECEIVED,
        target=ComplaintState.REJECTED,
        permission=office_acts,
        custom={"label": _("不予受理"), "article": ARTICLE},
    )
    def reject(self, *, by, reason):
        self.rejection_reason = reason
        self.decided_by = by
        self.decided_at = timezone.now()

    @transition(
        field=handling,
        source=ComplaintState.INVESTIGATING,
        target=ComplaintState.CLOSED,
        permission=office_acts,
        custom={"label": _("办结"), "article": ARTICLE},
    )
    def close(self, *, by, result):
        self.result = result
        self.decided_by = by
        self.decided_at = timezone.now()


class ComplaintNote(models.Model):
    """One entry of the office's investigation record; kept, never edited."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("举报投诉"), on_delete=models.CASCADE, related_name="notes"
    )
    text = BoundedTextField(_("调查记录"), max_length=LONG_TEXT)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调查记录")
        verbose_name_plural = _("调查记录")
        ordering = ["written_at", "pk"]

    def __str__(self):
        return str(_("调查记录"))


def complaint_file_path(instance, filename):
    return f"complaints/{instance.complaint_id}/{uuid.uuid4().hex}"


class ComplaintFile(CachedChoiceLabelsMixin, models.Model):
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("举报投诉"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("材料类别"), max_length=12, choices=ComplaintFileKind.choices)
    file = models.FileField(_("文件"), upload_to=complaint_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("举报投诉材料")
        verbose_name_plural = _("举报投诉材料")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name
