"""Choices of the applications floor: application states, document kinds, profile options."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    """States of DESIGN.md §4.2. The review floor drives 专家评审's states, the decisions floor
    those from 列入候选 to 已获评; each floor presents its own (applications.hooks)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提报")
    RETURNED = "returned", _("退回修改")
    RECOMMENDED = "recommended", _("县区推荐")
    DECLINED = "declined", _("初审不推荐")
    ACCEPTED = "accepted", _("复核通过")
    RECHECK_FAILED = "recheck_failed", _("复核不通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    IN_REVIEW = "in_review", _("专家评审")
    REVIEW_FAILED = "review_failed", _("评审淘汰")
    REVIEWED = "reviewed", _("评审完成")
    CANDIDATE = "candidate", _("候选")
    PROPOSED = "proposed", _("拟获评")
    NOT_SELECTED = "not_selected", _("未获评")
    IN_PUBLICITY = "in_publicity", _("公示中")
    PUBLICITY_FAILED = "publicity_failed", _("公示撤回")
    AWARDED = "awarded", _("已获评")
    REVOKED = "revoked", _("已撤销")


class EventAction(models.TextChoices):
    """What an entry of an application's timeline records: its creation or a transition."""

    CREATE = "create", _("创建申报")
    SUBMIT = "submit", _("提交申报")
    RECOMMEND = "recommend", _("初审推荐")
    RETURN = "return_for_revision", _("退回修改")
    DECLINE = "decline", _("初审不推荐")
    ACCEPT = "accept", _("复核通过")
    REJECT = "reject", _("复核不通过")
    WITHDRAW = "withdraw", _("撤回申报")
    START_REVIEW = "start_review", _("开始专家评审")
    FAIL_REVIEW = "fail_review", _("评审淘汰")
    COMPLETE_REVIEW = "complete_review", _("评审完成")
    NOMINATE = "nominate", _("列入候选名单")
    PROPOSE = "propose", _("领导小组审议：拟获评")
    PASS_OVER = "pass_over", _("领导小组审议：未获评")
    PUBLICISE = "publicise", _("公示")
    FAIL_PUBLICITY = "fail_publicity", _("公示撤回")
    AWARD = "award", _("公布获评")
    REVOKE = "revoke", _("撤销市长质量奖")


class DocumentKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("自我评价报告/个人事迹材料")
    EVIDENCE = "evidence", _("证实性材料")
    PHOTO = "photo", _("个人照片")
    INTERNAL_PUBLICITY_PROOF = "internal_publicity_proof", _("内部公示证明")


class UnitSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专/高中")
    OTHER = "other", _("其他")
