"""The audit actions the decisions floor writes, in Chinese; one block per part of the floor."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import register_actions

# Candidate list and deliberation (候选名单、领导小组审议).
register_actions({})

# 公示 and objections.
register_actions({})

# Approval, 公布, honours and rewards.
register_actions({})

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
