"""How the states the review floor drives are shown (applications.hooks), registered in ready()."""

from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState as S
from applications.hooks import StatePresentation, register_state_presentation

PRESENTATIONS = {
    S.IN_REVIEW: StatePresentation(
        next_step=_(
            "第三方机构正在组织专家进行舆情调查、资格审查、材料评审、现场评审和陈述答辩"
            "（第十四条第（四）项）；现场评审和陈述答辩的安排将另行通知。"
        ),
        acting=_("第三方评审机构"),
        badge="text-bg-info",
    ),
    S.REVIEW_FAILED: StatePresentation(
        next_step=_("舆情调查或资格审查未通过（一票否决），本届申报到此结束。"),
        acting="",
        badge="text-bg-danger",
    ),
    S.REVIEWED: StatePresentation(
        next_step=_(
            "专家评审已完成，等待质量强市办根据评审情况提出候选名单，"
            "提交质量强市工作领导小组审议（第十四条第（五）项）。"
        ),
        acting=_("质量强市办"),
        badge="text-bg-success",
    ),
}

for state, presentation in PRESENTATIONS.items():
    register_state_presentation(state, presentation)
