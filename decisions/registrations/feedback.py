"""What the feedback part of the decisions floor plugs into the registries of the floors below:
guards, listeners, workbench items, demo seeders. The batch files' workbench item is here too
(the exports part has no registration module of its own)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.hooks import (
    ApplicationLink,
    PreviousFeedback,
    register_application_links,
    register_previous_feedback,
)
from award.enums import Role
from award.hooks import register_cycle_listener
from award.models import Cycle
from award.workbench import TodoItem, workbench
from decisions.enums import ExportKind, ExportState
from decisions.models import CycleExport
from decisions.selectors.feedback import (
    PUBLISHED_PHASES,
    feedback_report_for,
    previous_report,
    readable_reports,
)
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


@register_application_links
def feedback_links(application, user) -> list[ApplicationLink]:
    """After 公布: the application's feedback report, when `user` may read it."""
    if feedback_report_for(user, application.pk) is None:
        return []
    return [
        ApplicationLink(
            title=_("查看评审反馈报告"),
            url=reverse("decisions:feedback_detail", args=[application.pk]),
        )
    ]


@workbench.register(Role.APPLICANT)
def applicant_feedback_items(user):
    """The applicant's feedback reports once published: one item per report (one query)."""
    return [
        TodoItem(
            title=_("查看%(cycle)s评审反馈报告") % {"cycle": report.application.cycle},
            url=reverse("decisions:feedback_detail", args=[report.application_id]),
            detail=_("各评分项的评分档、优势和改进机会；再次申报时可对照改进（第十三条）。"),
        )
        for report in readable_reports(user).order_by("-application__cycle__number")[:5]
    ]


@workbench.register(Role.OFFICE)
def office_archive_items(user):
    """Published cycles whose archive has not been built yet (one query)."""
    built = CycleExport.objects.filter(
        cycle=OuterRef("pk"), kind=ExportKind.ARCHIVE, state=ExportState.DONE
    )
    cycles = Cycle.objects.filter(phase__in=PUBLISHED_PHASES).exclude(Exists(built))
    return [
        TodoItem(
            title=_("生成%(cycle)s届次档案") % {"cycle": cycle},
            url=reverse("decisions:exports_cycle", args=[cycle.pk]),
            detail=_("公布后将申报材料、公告、审议和公示记录、证书等打包存档。"),
        )
        for cycle in cycles.order_by("-number")
    ]
