"""How the state the revocation floor drives is shown (applications.hooks); read in ready()."""

from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState as S
from applications.hooks import StatePresentation, register_state_presentation

register_state_presentation(
    S.REVOKED,
    StatePresentation(
        next_step=_(
            "市长质量奖已被撤销并向社会公告；被撤销的单位和个人不得再使用该称号（第十九条）。"
        ),
        acting="",
        badge="text-bg-danger",
    ),
)
