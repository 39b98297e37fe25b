"""公示 (第十四条第（六）项): the cycle's publicity settings and the public's objections (异议)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from award.models.choices import CachedChoiceLabelsMixin
from award.models.fields import BoundedTextField
from award.text import LONG_TEXT, REASON_TEXT
from decisions.enums import ObjectionFileKind, ObjectionState, ObjectorKind


class Publicity(models.Model):
    """How the cycle's 公示 takes objections: real-name only unless the office decides otherwise."""

    cycle = models.OneToOneField(
        "award.Cycle",
        verbose_name=_("评选届次"),
        on_delete=models.PROTECT,
        related_name="publicity",
    )
    allows_anonymous_objections = models.BooleanField(
        _("受理匿名异议"),
        default=False,
        help_text=_("按公示惯例不受理匿名异议；确需受理的，由质量强市办决定。"),
    )
    contact = models.CharField(
        _("异议受理联系方式"),
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
        verbose_name = _("公示设置")
        verbose_name_plural = _("公示设置")

    def __str__(self):
        return str(_("%(cycle)s公示") % {"cycle": self.cycle})


def new_receipt_code() -> str:
    return uuid.uuid4().hex[:16].upper()


class Objection(CachedChoiceLabelsMixin, models.Model):
    """An objection to one proposed winner; the objector's identity is for the office only."""

    cycle = models.ForeignKey(
        "award.Cycle",
        verbose_name=_("评选届次"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("异议对象"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    objector_kind = models.CharField(_("异议人类型"), max_length=10, choices=ObjectorKind.choices)
    name = models.CharField(_("姓名/单位名称"), max_length=120, blank=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_person = models.CharField(_("单位联系人"), max_length=40, blank=True)
    reasons = BoundedTextField(_("异议内容及理由"), max_length=LONG_TEXT)
    receipt_code = models.CharField(
        _("受理回执号"), max_length=16, unique=True, default=new_receipt_code, editable=False
    )
    state = models.CharField(
        _("办理状态"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    decision_reason = BoundedTextField(_("处理意见"), max_length=REASON_TEXT, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    # The public form's one-time token (award.forms.once): a double click files once.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["cycle", "state"])]

    def __str__(self):
        return str(_("异议 %(code)s") % {"code": self.receipt_code})


def objection_file_path(instance, filename):
    return f"objections/{instance.objection_id}/{uuid.uuid4().hex}"


class ObjectionFile(CachedChoiceLabelsMixin, models.Model):
    objection = models.ForeignKey(
        Objection, verbose_name=_("异议"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("材料类别"), max_length=12, choices=ObjectionFileKind.choices)
    file = models.FileField(_("文件"), upload_to=objection_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("异议材料")
        verbose_name_plural = _("异议材料")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name
