"""The audit actions the decisions floor writes, in Chinese; one block per part of the floor."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import choices_shown, register_actions, register_fields
from decisions.enums import VoteChoice

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
register_actions({})

# Approval, 公布, honours and rewards.
register_actions({})

# Feedback reports and batch files.
register_actions({})
