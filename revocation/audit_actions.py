"""The audit actions the revocation floor writes, in Chinese; one block per part of the floor."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import choices_shown, register_actions, register_fields
from revocation.enums import CaseSource

# Revocation cases (第二十三条、第二十四条).
register_actions(
    {
        "revocation.case_open": _("立案调查撤销事项"),
    }
)
register_fields(
    {
        "honour": _("荣誉证书编号"),
        "case_source": (_("案件来源"), choices_shown(CaseSource)),
        "grounds": _("撤销情形"),
        "summary": _("案由"),
    }
)

# Periodic assessment (第二十五条) and winners' obligations (第十八条).
from revocation.enums import AssessmentOutcome  # noqa: E402

register_actions(
    {
        "revocation.assessment_plan": _("组织定期评估"),
        "revocation.assessment_fill": _("填写定期评估情况"),
        "revocation.assessment_decide": _("认定定期评估结论"),
        "revocation.assessment_close": _("定期评估完成"),
        "revocation.assessment_evidence_download": _("下载定期评估证明材料"),
        "revocation.sharing_request": _("发起经验分享"),
        "revocation.sharing_answer": _("提交经验分享材料"),
        "revocation.sharing_decline": _("书面拒绝经验分享"),
        "revocation.sharing_publish": _("发布经验分享"),
        "revocation.sharing_file_download": _("下载经验分享附件"),
    }
)
register_fields(
    {
        "assessment_name": _("评估名称"),
        "due_on": _("期限"),
        "assessment_agency": _("协助评估的第三方机构"),
        "records": _("评估记录数"),
        "lawful": _("守法经营"),
        "leadership": _("示范引领"),
        "improvement": _("持续改进"),
        "proposed_outcome": (_("建议结论"), choices_shown(AssessmentOutcome)),
        "assessment_outcome": (_("评估结论"), choices_shown(AssessmentOutcome)),
        "evidence": _("证明材料"),
        "interview_on": _("约谈日期"),
        "follow_up_due": _("整改期限"),
        "revocation_case": _("撤销案件"),
        "topic": _("分享主题"),
        "sharing_title": _("经验分享标题"),
        "sharing_late": _("逾期提交"),
        "sharing_file": _("经验分享附件"),
    }
)
