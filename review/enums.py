"""Choices of the review floor: stages, criterion kinds, aggregation rules, exclusion sources."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The five steps of 专家评审 (第十四条第（四）项), in the order they usually run."""

    PUBLIC_OPINION = "public_opinion", _("舆情调查")
    QUALIFICATION = "qualification", _("资格审查")
    MATERIALS = "materials", _("材料评审")
    SITE_VISIT = "site_visit", _("现场评审")
    DEFENCE = "defence", _("陈述答辩")


# Pass/fail records with evidence; a fail ends the application's review (一票否决).
CHECK_STAGES = (Stage.PUBLIC_OPINION, Stage.QUALIFICATION)
# Scored by every expert of the group, then agreed by the leader and signed.
SCORED_STAGES = (Stage.MATERIALS, Stage.SITE_VISIT, Stage.DEFENCE)


class CriterionKind(models.TextChoices):
    PROCESS = "process", _("过程")
    RESULT = "result", _("结果")


class Aggregation(models.TextChoices):
    CONSENSUS = "consensus", _("以组长主持形成的合议分为准")
    TRIMMED_MEAN = "trimmed_mean", _("去掉一个最高分和一个最低分后取平均")


class ExclusionSource(models.TextChoices):
    AUTO = "auto", _("系统自动回避")
    DECLARED = "declared", _("专家声明回避")
