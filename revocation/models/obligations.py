"""Winners' obligations (第十八条): the office asks a winner to share its quality experience;
the winner answers with material, which the office may publish, or declines in writing."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from award.fsm import condition
from award.models.choices import CachedChoiceLabelsMixin
from award.models.fields import BoundedTextField
from award.permissions import is_active_user, is_office
from award.text import LONG_TEXT, REASON_TEXT
from decisions.enums import HonourStatus
from revocation.enums import SharingState

ARTICLE = "第十八条"


def sharing_holder(request, user) -> bool:
    """The applicant account that owns the honour's application."""
    return is_active_user(user) and request.honour.application.applicant_id == user.pk


def office_acts(request, user) -> bool:
    return is_office(user)


class SharingRequest(CachedChoiceLabelsMixin, FSMModelMixin, models.Model):
    honour = models.ForeignKey(
        "decisions.Honour",
        verbose_name=_("荣誉"),
        on_delete=models.PROTECT,
        related_name="sharing_requests",
    )
    topic = models.CharField(_("分享主题"), max_length=100)
    details = BoundedTextField(_("具体要求"), max_length=REASON_TEXT, blank=True)
    due_on = models.DateField(_("提交期限"))
    state = FSMField(
        _("状态"),
        max_length=10,
        choices=SharingState.choices,
        default=SharingState.REQUESTED,
        protected=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    title = models.CharField(_("经验分享标题"), max_length=100, blank=True)
    material = BoundedTextField(_("经验分享材料"), max_length=LONG_TEXT, blank=True)
    answered_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decline_reason = BoundedTextField(_("拒绝理由"), max_length=REASON_TEXT, blank=True)
    declined_at = models.DateTimeField(_("拒绝时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    case = models.OneToOneField(
        "revocation.RevocationCase",
        verbose_name=_("撤销案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sharing_request",
    )

    class Meta:
        verbose_name = _("经验分享")
        verbose_name_plural = _("经验分享")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.honour.holder_name}：{self.topic}"

    fsm_never = _("您无权办理该经验分享（第十八条）。")
    fsm_wrong_state = _("该经验分享当前为“%(state)s”，不能%(action)s。")

    @condition(_("该荣誉已撤销，不能发布其经验分享。"))
    def honour_active(self) -> bool:
        return self.honour.status == HonourStatus.ACTIVE

    # Transitions (第十八条). Bodies only set fields; services check, lock, audit and notify.

    @transition(
        field=state,
        source=SharingState.REQUESTED,
        target=SharingState.ANSWERED,
        permission=sharing_holder,
        custom={"label": _("提交经验分享材料"), "article": ARTICLE},
    )
    def answer(self, *, title, material):
        self.title, self.material = title, material
        self.answered_at = timezone.now()

    @transition(
        field=state,
        source=SharingState.REQUESTED,
        target=SharingState.DECLINED,
        permission=sharing_holder,
        custom={"label": _("书面拒绝经验分享"), "article": ARTICLE},
    )
    def decline(self, *, reason):
        self.decline_reason = reason
        self.declined_at = timezone.now()

    @transition(
        field=state,
        source=SharingState.ANSWERED,
        target=SharingState.PUBLISHED,
        conditions=[honour_active],
        permission=office_acts,
        custom={"label": _("发布经验分享"), "article": ARTICLE},
    )
    def publish(self):
        self.published_at = timezone.now()


def sharing_file_path(instance, filename):
    return f"sharing/{instance.request_id}/{uuid.uuid4().hex}"


class SharingFile(models.Model):
    request = models.ForeignKey(
        SharingRequest, verbose_name=_("经验分享"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("附件"), upload_to=sharing_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("经验分享附件")
        verbose_name_plural = _("经验分享附件")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name
