"""The audit actions the revocation floor writes, in Chinese; one block per part of the floor."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import choices_shown, register_actions, register_fields
from revocation.enums import CaseBallotChoice, CaseSource

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
register_actions(
    {
        "revocation.case_find_true": _("查证属实并告知获评者陈述申辩"),
        "revocation.case_find_false": _("查证不属实，结案"),
        "revocation.case_reply": _("获评者陈述申辩"),
        "revocation.case_send": _("撤销案件提交领导小组审议"),
        "revocation.case_vote_open": _("组织领导小组对撤销案件表决"),
        "revocation.case_ballot": _("领导小组成员对撤销案件投票"),
        "revocation.case_vote_close": _("结束撤销案件表决"),
        "revocation.case_submit": _("提请市政府撤销"),
        "revocation.case_reject": _("领导小组未同意撤销，结案"),
        "revocation.case_revoke": _("记录市政府撤销决定并撤销称号"),
        "revocation.case_close": _("撤销案件不予撤销，结案"),
        "revocation.announcement_publish": _("发布撤销公告"),
        "revocation.case_file_download": _("下载撤销案件材料"),
    }
)
register_fields(
    {
        "case_findings": _("查证情况"),
        "case_answer_due_on": _("陈述申辩截止日期"),
        "case_answer": _("陈述申辩意见"),
        "case_files": _("材料指纹（SHA-256）"),
        "case_file": _("案件材料"),
        "case_vote_quorum": _("法定出席人数"),
        "case_vote_present": _("出席成员"),
        "case_vote_counts": _("表决票数"),
        "case_ballot_choice": (_("表决意见"), choices_shown(CaseBallotChoice)),
        "decision_number": _("撤销决定文号"),
        "decision_date": _("撤销决定日期"),
        "revoked_article": _("撤销依据"),
    }
)
