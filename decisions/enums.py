"""Choices of the decisions floor, each with its Chinese label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VoteChoice(models.TextChoices):
    """A leading-group member's vote on one candidate; also the resolution's outcome."""

    AWARD = "award", _("市长质量奖")
    NOMINATION = "nomination", _("提名奖")
    NONE = "none", _("不予评定")


class MeetingState(models.TextChoices):
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已结束")


class ObjectorKind(models.TextChoices):
    PERSON = "person", _("个人实名")
    UNIT = "unit", _("单位实名")
    ANONYMOUS = "anonymous", _("匿名")


class ObjectionState(models.TextChoices):
    OPEN = "open", _("调查核实中")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class ObjectionFileKind(models.TextChoices):
    EVIDENCE = "evidence", _("证明材料")
    SEAL_LETTER = "seal_letter", _("加盖公章的异议书")


class HonourStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已撤销")


class ExportKind(models.TextChoices):
    CERTIFICATES = "certificates", _("全部证书")
    ARCHIVE = "archive", _("届次档案")


class ExportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("生成失败")
