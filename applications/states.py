"""How the states this floor drives are shown (applications.hooks), registered in ready()."""

from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState as S
from applications.hooks import StatePresentation, register_state_presentation

APPLICANT = _("申报人")
COUNTY = _("%(county)s质量议事协调机构")
OFFICE = _("质量强市办")
AGENCY = _("第三方评审机构")

PRESENTATIONS = {
    S.DRAFT: StatePresentation(
        next_step=_(
            "填写申报表、上传材料并签署承诺书后，在申报截止时间前提交。提交后由%(county)s"
            "质量议事协调机构进行条件初审（第十四条第（三）项）。"
        ),
        acting=APPLICANT,
        badge="text-bg-light border",
    ),
    S.SUBMITTED: StatePresentation(
        next_step=_("等待%(county)s质量议事协调机构进行条件初审（第十四条第（三）项）。"),
        acting=COUNTY,
        badge="text-bg-primary",
    ),
    S.RETURNED: StatePresentation(
        next_step=_("请按退回意见修改申报表或材料后重新提交。"),
        acting=APPLICANT,
        badge="text-bg-warning",
    ),
    S.RECOMMENDED: StatePresentation(
        next_step=_("%(county)s已推荐，等待质量强市办复核（第十四条第（三）项）。"),
        acting=OFFICE,
        badge="text-bg-info",
    ),
    S.ACCEPTED: StatePresentation(
        next_step=_(
            "复核通过，等待第三方机构组织专家进行舆情调查、资格审查、材料评审、现场评审和陈述答辩"
            "（第十四条第（四）项）。"
        ),
        acting=AGENCY,
        badge="text-bg-success",
    ),
    S.DECLINED: StatePresentation(
        next_step=_("县区初审未予推荐，本届申报到此结束。"), acting="", badge="text-bg-danger"
    ),
    S.RECHECK_FAILED: StatePresentation(
        next_step=_("复核未通过，本届申报到此结束。"), acting="", badge="text-bg-danger"
    ),
    S.WITHDRAWN: StatePresentation(
        next_step=_("申报已撤回，本届不能再次申报。"), acting="", badge="text-bg-secondary"
    ),
}

for state, presentation in PRESENTATIONS.items():
    register_state_presentation(state, presentation)
