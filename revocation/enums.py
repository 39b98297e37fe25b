"""Choices of the revocation floor, each with its Chinese label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    """A revocation case (第二十三条、第二十四条: 经查证属实, 由领导小组按程序提请市政府撤销)."""

    INVESTIGATING = "investigating", _("调查核实中")
    AWAITING_ANSWER = "awaiting_answer", _("待获评者陈述")
    DELIBERATION = "deliberation", _("领导小组审议中")
    SUBMITTED = "submitted", _("已提请市政府")
    REVOKED = "revoked", _("已撤销")
    CLOSED = "closed", _("已结案（不予撤销）")


class CaseSource(models.TextChoices):
    """Where a case came from."""

    OFFICE = "office", _("质量强市办立案")
    ASSESSMENT = "assessment", _("定期评估")
    COMPLAINT = "complaint", _("投诉举报")


class CaseBallotChoice(models.TextChoices):
    """A leading-group member's vote on a revocation case."""

    AGREE = "agree", _("同意撤销")
    DISAGREE = "disagree", _("不同意")
    ABSTAIN = "abstain", _("弃权")


class CaseVoteState(models.TextChoices):
    OPEN = "open", _("表决中")
    CLOSED = "closed", _("表决结束")


class CaseFilePurpose(models.TextChoices):
    EVIDENCE = "evidence", _("查证材料")
    ANSWER = "answer", _("陈述申辩材料")


class AssessmentOutcome(models.TextChoices):
    """第二十五条: the result of a periodic assessment of one honour."""

    PASSED = "passed", _("合格")
    INTERVIEW = "interview", _("约谈")
    UNFIT = "unfit", _("不符合条件")


class RoundState(models.TextChoices):
    OPEN = "open", _("评估中")
    CLOSED = "closed", _("已完成")


class SharingState(models.TextChoices):
    """第十八条: a request to a winner to share its quality experience."""

    REQUESTED = "requested", _("待提交")
    ANSWERED = "answered", _("已提交材料")
    PUBLISHED = "published", _("已公开发布")
    DECLINED = "declined", _("已书面拒绝")


# Complaints (第二十一条) -------------------------------------------------------------------


class ComplaintState(models.TextChoices):
    """A complaint to the office about the award's rules being broken (第二十一条)."""

    RECEIVED = "received", _("待受理")
    INVESTIGATING = "investigating", _("调查中")
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("不予受理")


class ComplainantKind(models.TextChoices):
    PERSON = "person", _("个人实名")
    UNIT = "unit", _("单位实名")
    ANONYMOUS = "anonymous", _("匿名")


class ComplaintSubjectKind(models.TextChoices):
    """Whom a complaint is about, as the complainant sees it (optional)."""

    APPLICANT = "applicant", _("申报对象")
    EXPERT = "expert", _("评审专家")
    WINNER = "winner", _("获评单位或个人")
    STAFF = "staff", _("工作人员")
    OTHER = "other", _("其他")


class ComplaintFileKind(models.TextChoices):
    SEAL_LETTER = "seal_letter", _("加盖公章的举报投诉书")
    EVIDENCE = "evidence", _("证明材料")
