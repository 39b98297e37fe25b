"""The audit actions the decisions floor writes, in Chinese; one block per part of the floor."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import (
    choices_shown,
    register_action_kind,
    register_actions,
    register_fields,
)
from decisions.enums import ObjectionFileKind, VoteChoice

register_action_kind("decisions", _("审议、公示与公布"))

# Candidate list and deliberation (候选名单、领导小组审议).
register_actions(
    {
        "decisions.candidate_minimum": _("设置候选名单最低分"),
        "decisions.candidate_list_send": _("候选名单提交领导小组审议"),
        "decisions.candidate_list_export": _("导出候选名单"),
        "decisions.meeting_open": _("召开领导小组审议会议"),
        "decisions.ballot_cast": _("领导小组成员投票"),
        "decisions.meeting_close": _("结束审议会议表决"),
        "decisions.resolution_record": _("记录领导小组审议决议"),
        "decisions.proposed_list_export": _("导出拟获评名单"),
    }
)
register_fields(
    {
        "candidates": _("候选对象数"),
        "reviewed_not_nominated": _("评审完成未列入候选数"),
        "choices": _("表决意见"),
        "ballots": _("投票人数"),
        "outcome": (_("审议结果"), choices_shown(VoteChoice)),
        "supported": (_("票数支持的审议结果"), choices_shown(VoteChoice)),
        "counts": _("票数"),
    }
)

# 公示 and objections.
register_actions(
    {
        "decisions.publicity_settings": _("修改公示设置"),
        "decisions.objection_file": _("提出公示异议"),
        "decisions.objection_uphold": _("公示异议成立"),
        "decisions.objection_dismiss": _("公示异议不成立"),
        "decisions.objection_file_download": _("下载公示异议材料"),
    }
)
register_fields(
    {
        "files": _("异议材料（SHA-256）"),
        "objection_file": _("异议材料编号"),
        "file_kind": (_("材料类别"), choices_shown(ObjectionFileKind)),
    }
)

# Approval, 公布, honours and rewards.
register_actions(
    {
        "decisions.approval_record": _("记录市政府批准文件"),
        "decisions.approval_download": _("下载市政府批准文件"),
        "decisions.honour_create": _("公布获评，生成证书编号"),
        "decisions.certificate_download": _("下载获评证书"),
        "decisions.reward_record": _("记录获评奖励"),
    }
)
register_fields(
    {
        "approval": _("市政府批复"),
        "document_number": _("批复文号"),
        "approved_on": _("批复日期"),
        "amount_yuan": _("奖励金额（元）"),
        "material_description": _("物质奖励"),
        "provincial_amount_yuan": _("已获山东省省长质量奖奖金（元）"),
        "payable_yuan": _("实际发放金额（元）"),
        "note": _("备注"),
    }
)

# Feedback reports and batch files.
register_actions(
    {
        "decisions.feedback_create": _("生成评审反馈报告"),
        "decisions.feedback_download": _("下载评审反馈报告"),
        "decisions.export_request": _("申请生成批量文件"),
        "decisions.export_build": _("生成批量文件"),
        "decisions.export_download": _("下载批量文件"),
    }
)
register_fields({"reports": _("反馈报告份数"), "report": _("反馈报告编号")})

# The office's cycle dashboard (数据看板).
register_actions({"decisions.dashboard_export": _("导出数据看板（Excel）")})
register_fields({"stuck_days": _("久未办理天数")})
