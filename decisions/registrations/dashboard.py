"""What the dashboard part of the decisions floor plugs into the floors below: the office's
workbench item leading to the cycle dashboard (数据看板)."""

from django.utils.translation import gettext as _

from award.enums import Role
from award.workbench import TodoItem, workbench
from decisions.views.dashboard import dashboard_url


@workbench.register(Role.OFFICE)
def office_dashboard_item(user):
    """Always there for the office (no query): the current cycle at a glance."""
    return [
        TodoItem(
            title=_("数据看板"),
            url=dashboard_url(),
            detail=_("本届申报漏斗、各县区进度、截止日期、久未办理的申报和历届对比。"),
        )
    ]
