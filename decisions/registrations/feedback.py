"""What the feedback part of the decisions floor plugs into the registries of the floors below:
guards, listeners, workbench items, demo seeders."""

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.hooks import PreviousFeedback, register_previous_feedback
from award.hooks import register_cycle_listener
from decisions.selectors.feedback import previous_report
from decisions.services.feedback import feedback_reports_create


@register_cycle_listener("publish")
def feedback_on_publish(cycle, *, by):
    """公布 (the RESULT notice published): freeze the cycle's feedback reports."""
    feedback_reports_create(cycle, by=by)


@register_previous_feedback
def earlier_feedback(application) -> PreviousFeedback | None:
    """第十三条: the applicant applies again; show the feedback of its last attempt."""
    report = previous_report(application)
    if report is None:
        return None
    content = report.content
    final = content.get("final_score")
    return PreviousFeedback(
        title=_("%(cycle)s评审反馈报告") % {"cycle": report.application.cycle},
        url=reverse("decisions:feedback_detail", args=[report.application_id]),
        summary=(
            _("最终得分%(score)s分（满分%(total)s分）")
            % {"score": final, "total": content.get("set_total")}
            if final
            else ""
        ),
    )
