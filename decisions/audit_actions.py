"""The audit actions the decisions floor writes, in Chinese; one block per part of the floor."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import register_actions, register_fields

# Candidate list and deliberation (候选名单、领导小组审议).
register_actions({})

# 公示 and objections.
register_actions({})

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
register_actions({})
