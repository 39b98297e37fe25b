"""The audit actions the revocation floor writes, in Chinese; one block per part of the floor."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import (
    choices_shown,
    register_action_kind,
    register_actions,
    register_fields,
)
from revocation.enums import (
    AssessmentOutcome,
    CaseBallotChoice,
    CaseSource,
    ComplainantKind,
    ComplaintFileKind,
    ComplaintState,
)

register_action_kind("revocation", _("获评后管理与监督"))

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

# Periodic assessment (第二十五条) and winners' obligations (第十八条).
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

# Complaints (第二十一条).
register_actions(
    {
        "revocation.complaint_file": _("收到举报投诉"),
        "revocation.complaint_settings": _("修改举报投诉受理设置"),
        "revocation.complaint_accept": _("受理举报投诉"),
        "revocation.complaint_reject": _("举报投诉不予受理"),
        "revocation.complaint_link": _("关联举报投诉所涉对象"),
        "revocation.complaint_note": _("填写举报投诉调查记录"),
        "revocation.complaint_close": _("办结举报投诉"),
        "revocation.complaint_case": _("根据举报投诉立案调查撤销事项"),
        "revocation.complaint_expert": _("根据举报投诉取消专家评审资格"),
        "revocation.complaint_file_download": _("查看举报投诉材料"),
    }
)
register_fields(
    {
        "handling": (_("办理状态"), choices_shown(ComplaintState)),
        "complaint_receipt": _("举报投诉回执号"),
        "complainant_kind": (_("举报人类型"), choices_shown(ComplainantKind)),
        "complaint_files": _("举报投诉材料（SHA-256）"),
        "complaint_result": _("办理结果"),
        "complaint_application": _("涉及的申报"),
        "complaint_expert": _("涉及的评审专家"),
        "complaint_honour": _("涉及的荣誉证书编号"),
        "complaint_note": _("调查记录"),
        "complaint_case": _("撤销案件编号"),
        "complaint_file": _("举报投诉材料"),
        "complaint_file_kind": (_("材料类别"), choices_shown(ComplaintFileKind)),
        "complaint_file_sha256": _("文件SHA-256"),
        "allows_anonymous_complaints": _("受理匿名举报投诉"),
        "complaint_contact": _("举报投诉受理联系方式"),
    }
)
