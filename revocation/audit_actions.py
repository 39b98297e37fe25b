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
