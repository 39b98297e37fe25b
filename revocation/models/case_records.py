"""What a revocation case gathers on its way: files (查证材料, 陈述申辩材料), the leading
group's vote, 市政府's decision and the public 撤销公告 (第二十三条、第二十四条、第十九条)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from award.models.choices import CachedChoiceLabelsMixin
from revocation.enums import CaseBallotChoice, CaseFilePurpose, CaseVoteState


def case_file_path(instance, filename):
    return f"revocation/cases/{instance.case_id}/{uuid.uuid4().hex}"


def decision_file_path(instance, filename):
    return f"revocation/decisions/{instance.case_id}/{uuid.uuid4().hex}"


class StoredFileFields(models.Model):
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True


class CaseFile(CachedChoiceLabelsMixin, StoredFileFields):
    """A file of the case: the office's evidence or the holder's answer."""

    case = models.ForeignKey(
        "revocation.RevocationCase",
        verbose_name=_("撤销案件"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    purpose = models.CharField(_("材料类别"), max_length=12, choices=CaseFilePurpose.choices)
    file = models.FileField(_("文件"), upload_to=case_file_path, max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案件材料")
        verbose_name_plural = _("案件材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class CaseVote(CachedChoiceLabelsMixin, models.Model):
    """The leading group's vote on the case (as for 审议, 第十四条第（五）项): members present,
    quorum, and the counts; one vote per case."""

    case = models.OneToOneField(
        "revocation.RevocationCase",
        verbose_name=_("撤销案件"),
        on_delete=models.CASCADE,
        related_name="vote",
    )
    held_on = models.DateField(_("会议日期"))
    members_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("出席成员"), related_name="+"
    )
    member_count = models.PositiveSmallIntegerField(_("领导小组成员总数"))
    quorum = models.PositiveSmallIntegerField(_("法定出席人数"))
    state = models.CharField(
        _("状态"), max_length=10, choices=CaseVoteState.choices, default=CaseVoteState.OPEN
    )
    agree = models.PositiveSmallIntegerField(_("同意撤销"), default=0)
    disagree = models.PositiveSmallIntegerField(_("不同意"), default=0)
    abstain = models.PositiveSmallIntegerField(_("弃权"), default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("召集人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("撤销表决")
        verbose_name_plural = _("撤销表决")

    def __str__(self):
        return str(_("%(case)s表决") % {"case": self.case_id})

    @property
    def is_open(self) -> bool:
        return self.state == CaseVoteState.OPEN

    @property
    def cast(self) -> int:
        return self.agree + self.disagree + self.abstain

    @property
    def agreed(self) -> bool:
        """More than half of the ballots cast agree, and the ballots reached the quorum."""
        return self.cast >= self.quorum and self.agree * 2 > self.cast


class CaseBallot(CachedChoiceLabelsMixin, models.Model):
    vote = models.ForeignKey(
        CaseVote, verbose_name=_("撤销表决"), on_delete=models.CASCADE, related_name="ballots"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投票成员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("表决意见"), max_length=10, choices=CaseBallotChoice.choices)
    cast_at = models.DateTimeField(_("投票时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("撤销表决选票")
        verbose_name_plural = _("撤销表决选票")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "member"],
                name="one_case_ballot_per_member",
                violation_error_message=_("您已对该案件投过票，不能重复投票。"),
            )
        ]

    def __str__(self):
        return self.get_choice_display()


class GovernmentDecision(StoredFileFields):
    """市政府's decision to revoke (文号、日期、文件), recorded by the office."""

    case = models.OneToOneField(
        "revocation.RevocationCase",
        verbose_name=_("撤销案件"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    document_number = models.CharField(_("撤销决定文号"), max_length=60)
    decided_on = models.DateField(_("决定日期"))
    file = models.FileField(_("决定文件"), upload_to=decision_file_path, max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("市政府撤销决定")
        verbose_name_plural = _("市政府撤销决定")

    def __str__(self):
        return self.document_number


class RevocationAnnouncement(models.Model):
    """撤销公告: published when the title is revoked (第二十三条、第二十四条、第十九条)."""

    case = models.OneToOneField(
        "revocation.RevocationCase",
        verbose_name=_("撤销案件"),
        on_delete=models.PROTECT,
        related_name="announcement",
    )
    honour = models.OneToOneField(
        "decisions.Honour",
        verbose_name=_("荣誉"),
        on_delete=models.PROTECT,
        related_name="revocation_announcement",
    )
    title = models.CharField(_("标题"), max_length=200)
    holder_name = models.CharField(_("被撤销单位/个人"), max_length=120)
    cycle_label = models.CharField(_("评选届次"), max_length=60)
    category_label = models.CharField(_("奖项类别"), max_length=30)
    serial = models.CharField(_("证书编号"), max_length=32)
    grounds_text = models.TextField(_("撤销依据"))
    document_number = models.CharField(_("撤销决定文号"), max_length=60)
    decided_on = models.DateField(_("撤销日期"))
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("撤销公告")
        verbose_name_plural = _("撤销公告")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return self.title
