"""Choices of the ground floor: roles, cycle phases, notice kinds, message states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位/个人")
    COUNTY = "county", _("县区质量议事协调机构")
    OFFICE = "office", _("质量强市办")
    AGENCY = "agency", _("第三方机构")
    EXPERT = "expert", _("评审专家")
    LEADER = "leader", _("质量强市工作领导小组")
    AUDITOR = "auditor", _("监督")


class ApplicantKind(models.TextChoices):
    UNIT = "unit", _("申报单位")
    INDIVIDUAL = "individual", _("申报个人")


class AwardCategory(models.TextChoices):
    AWARD = "award", _("临沂市市长质量奖")
    NOMINATION = "nomination", _("临沂市市长质量奖提名奖")


class CyclePhase(models.TextChoices):
    DRAFT = "draft", _("筹备")
    ANNOUNCED = "announced", _("信息发布")
    CLOSED = "closed", _("申报截止")
    PRELIMINARY = "preliminary", _("初审")
    RECHECK = "recheck", _("复核")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    DELIBERATION = "deliberation", _("拟获评")
    PUBLICITY = "publicity", _("公示")
    PUBLISHED = "published", _("公布")
    ARCHIVED = "archived", _("归档")


class NoticeKind(models.TextChoices):
    CALL = "call", _("申报通知")
    PUBLICITY = "publicity", _("公示公告")
    RESULT = "result", _("公布公告")
    REVOCATION = "revocation", _("撤销公告")
    GENERAL = "general", _("工作动态")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class EmailStatus(models.TextChoices):
    NONE = "none", _("无需邮件")
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
