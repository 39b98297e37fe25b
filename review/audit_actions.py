"""The audit actions the review floor writes, and the fields they record, in Chinese."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import (
    choices_shown,
    register_actions,
    register_fields,
    register_permissions,
)
from review.enums import Stage
from review.models.groups import SCORE_ASSIGNMENT

register_actions(
    {
        "review.expert_create": _("新增评审专家"),
        "review.expert_update": _("修改评审专家信息"),
        "review.expert_disqualify": _("取消专家评审资格"),
        "review.plan_create": _("制定评审工作计划"),
        "review.plan_freeze": _("评审工作计划定稿"),
        "review.criteria_set_copy": _("复制评分标准"),
        "review.criterion_update": _("修改评分条款"),
        "review.group_create": _("组建评审组"),
        "review.group_leader_set": _("指定评审组组长"),
        "review.group_member_add": _("增加评审组成员"),
        "review.assignment_create": _("分配评审组"),
        "review.assignment_remove": _("撤销评审组分配"),
        "review.needs_reassignment": _("评审组须重新分配"),
        "review.conflict_declare": _("声明有无利害关系"),
        "review.exclusion": _("专家回避"),
        "review.scores_excluded": _("排除回避专家的评分"),
        "review.stage_check": _("记录舆情调查或资格审查"),
        "review.site_visit": _("记录现场评审"),
        "review.score_save": _("保存评分"),
        "review.stage_submit": _("提交本环节评分"),
        "review.consensus_save": _("保存合议分"),
        "review.stage_sign": _("组长签字确认"),
        "review.score_correct": _("更正评分"),
        "review.evidence_download": _("下载审查证明材料"),
        "review.report_export": _("导出评审情况报告"),
    }
)
register_permissions({SCORE_ASSIGNMENT: _("评审打分")})
register_fields(
    {
        "stage": (_("评审环节"), choices_shown(Stage)),
        "stages": (_("评审环节"), choices_shown(Stage)),
        "expert": _("专家编号"),
        "experts": _("专家编号"),
        "members": _("成员专家编号"),
        "leader": _("组长专家编号"),
        "group": _("评审组编号"),
        "assignment": _("分配编号"),
        "criterion": _("评分条款"),
        "percentage": _("得分比例（%）"),
        "points": _("得分"),
        "total": _("合计得分"),
        "consensus_total": _("合议总分"),
        "excluded": _("排除的专家编号"),
        "scores": _("评分条数"),
        "sheet_sha256": _("评分表校验值（SHA-256）"),
        "source": _("回避来源"),
        "evidence_file": _("证明材料"),
        "specialities": _("专业领域编号"),
        "has_conflict": _("是否存在利害关系"),
        "visited_on": _("现场评审日期"),
    }
)
