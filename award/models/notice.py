"""Notices the office publishes (信息发布, 第十四条第（一）项) and their attachments."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from award.enums import NoticeKind, NoticeStatus
from award.fsm import condition
from award.models.fields import BoundedTextField
from award.text import NOTICE_TEXT, REASON_TEXT

PUBLISH_NOTICE = "award.publish_notice"
CYCLE_KINDS = {NoticeKind.CALL, NoticeKind.PUBLICITY, NoticeKind.RESULT}


@condition(_("申报通知、公示公告和公布公告必须关联评选届次。"))
def cycle_set_when_needed(notice):
    return notice.kind not in CYCLE_KINDS or notice.cycle_id is not None


@condition(_("已推动评选阶段的公告不能撤回；如有错误，请发布更正公告。"))
def does_not_move_cycle(notice):
    return notice.kind not in CYCLE_KINDS


def attachment_path(instance, filename):
    return f"notices/{instance.notice_id}/{uuid.uuid4().hex}"


class Notice(ConcurrentTransitionMixin, models.Model):
    kind = models.CharField(_("类别"), max_length=12, choices=NoticeKind.choices)
    cycle = models.ForeignKey(
        "award.Cycle",
        verbose_name=_("评选届次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = BoundedTextField(_("正文"), max_length=NOTICE_TEXT)
    status = FSMField(
        _("状态"), default=NoticeStatus.DRAFT, choices=NoticeStatus.choices, protected=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撰稿人"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("发布人"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    withdrawn_reason = BoundedTextField(_("撤回原因"), max_length=REASON_TEXT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    fsm_never = _("只有质量强市办可以发布或撤回公告。")
    fsm_wrong_state = _("公告当前状态为“%(state)s”，不能%(action)s。")

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-published_at", "-created_at"]
        permissions = [("publish_notice", _("发布公告"))]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title

    @transition(
        field=status,
        source=NoticeStatus.DRAFT,
        target=NoticeStatus.PUBLISHED,
        conditions=[cycle_set_when_needed],
        permission=PUBLISH_NOTICE,
        custom={"label": _("发布")},
    )
    def publish(self, *, publisher):
        self.published_by = publisher
        self.published_at = timezone.now()

    @transition(
        field=status,
        source=NoticeStatus.PUBLISHED,
        target=NoticeStatus.WITHDRAWN,
        conditions=[does_not_move_cycle],
        permission=PUBLISH_NOTICE,
        custom={"label": _("撤回")},
    )
    def withdraw(self, *, reason):
        self.withdrawn_reason = reason


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公告附件")
        verbose_name_plural = _("公告附件")
        ordering = ["pk"]

    def __str__(self):
        return self.title
