"""How the states the decisions floor drives are shown (applications.hooks); read in ready()."""

from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState as S
from applications.hooks import StatePresentation, register_state_presentation

PRESENTATIONS = {
    S.CANDIDATE: StatePresentation(
        next_step=_(
            "已列入候选名单，等待质量强市工作领导小组审议，提出拟获评名单（第十四条第（五）项）。"
        ),
        acting=_("质量强市工作领导小组"),
        badge="text-bg-primary",
    ),
    S.PROPOSED: StatePresentation(
        next_step=_(
            "领导小组审议拟获评，等待质量强市办发布公示公告，公示期5个工作日（第十四条第（六）项）。"
        ),
        acting=_("质量强市办"),
        badge="text-bg-primary",
    ),
    S.NOT_SELECTED: StatePresentation(
        next_step=_("领导小组审议未获评，本届申报到此结束；公布后可查看评审反馈报告。"),
        acting="",
        badge="text-bg-secondary",
    ),
    S.IN_PUBLICITY: StatePresentation(
        next_step=_(
            "拟获评名单正在公示；公示期满无异议或异议不成立的，报市政府批准后公布"
            "（第十四条第（六）（七）项）。"
        ),
        acting=_("质量强市办"),
        badge="text-bg-warning",
    ),
    S.PUBLICITY_FAILED: StatePresentation(
        next_step=_("公示期间异议经查证属实，已撤回拟获评资格，本届申报到此结束。"),
        acting="",
        badge="text-bg-danger",
    ),
    S.AWARDED: StatePresentation(
        next_step=_(
            "已获评并公布。可下载证书，查看奖励和评审反馈报告；"
            "获奖者应积极宣传推广质量管理经验（第十八条）。"
        ),
        acting="",
        badge="text-bg-success",
    ),
}

for state, presentation in PRESENTATIONS.items():
    register_state_presentation(state, presentation)
