"""The audit actions the revocation floor writes, in Chinese; one block per part of the floor."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import choices_shown, register_actions, register_fields
from revocation.enums import CaseSource, ComplainantKind, ComplaintFileKind, ComplaintState

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
