"""Cycle steps that must wait for applications: 复核 after 初审, expert review after 复核."""

from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.selectors import county_backlog
from award.hooks import register_cycle_guard


@register_cycle_guard("begin_recheck")
def preliminary_review_finished(cycle) -> list[str]:
    """开始复核 waits until every county has decided on every submitted application."""
    return [
        _("%(county)s尚有%(count)s件申报未完成初审（第十四条第（三）项）。")
        % {"county": county, "count": count}
        for county, count in county_backlog(cycle, ApplicationState.SUBMITTED)
    ]


@register_cycle_guard("begin_expert_review")
def recheck_finished(cycle) -> list[str]:
    """开始专家评审 waits until 复核 is done and no resubmission still awaits its county."""
    messages = [
        _("%(county)s尚有%(count)s件重新提交的申报未完成初审（第十四条第（三）项）。")
        % {"county": county, "count": count}
        for county, count in county_backlog(cycle, ApplicationState.SUBMITTED)
    ]
    waiting = sum(count for _county, count in county_backlog(cycle, ApplicationState.RECOMMENDED))
    if waiting:
        messages.append(
            _("尚有%(count)s件县区推荐的申报未完成复核（第十四条第（三）项）。")
            % {"count": waiting}
        )
    return messages
