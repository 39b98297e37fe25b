"""The office's cycle dashboard (数据看板): the current cycle or an earlier one, for the office
and the auditor (others 404). Charts are drawn on the server (award.charts); every chart's
table rows link to the office's application list filtered to the figures behind them."""

from dataclasses import replace
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from applications.enums import ApplicationState
from award.charts import draw
from award.enums import ApplicantKind, CyclePhase
from award.permissions import StaffReaderMixin
from award.selectors.cycles import current_cycle, cycles_for
from award.services.audit import download_record
from award.uploads import clean_filename
from decisions.selectors import dashboard as figures
from decisions.services.dashboard import dashboard_xlsx

COUNT = "{:,.0f}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 365


def office_list(**filters) -> str:
    """The office's application list (申报复核) with these filters; cycle "" = all cycles."""
    return reverse("applications:office_queue") + "?" + urlencode(filters)


def stuck_days(value) -> int:
    """N of "stuck longer than N days" from the query string; the default when not 1–365."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        return figures.STUCK_DAYS
    return days if 1 <= days <= MAX_DAYS else figures.STUCK_DAYS


def funnel_chart(cycle):
    """The funnel as horizontal bars, 申报 at the top: pygal draws a horizontal chart's first
    label at the bottom, so the chart is drawn upside down and its table kept in order."""
    counts = figures.funnel(cycle)
    labels = [str(label) for label, _state in figures.FUNNEL]
    series = [(str(ApplicantKind(kind).label), counts[kind]) for kind in ApplicantKind.values]
    links = [office_list(cycle=cycle.pk, state=state) for _label, state in figures.FUNNEL]
    chart = draw(
        _("申报漏斗（按申报主体类型）"),
        labels[::-1],
        [(name, values[::-1]) for name, values in series],
        kind="hbar",
        value_format=COUNT,
    )
    return replace(chart, labels=labels, series=series, links=tuple(links))


def county_chart(cycle):
    """A stacked bar per county, one stack per state group that has applications."""
    rows = figures.by_county(cycle)
    series = [
        (str(label), [row.by_group[i] for row in rows])
        for i, (label, _states) in enumerate(figures.STATE_GROUPS)
    ]
    return draw(
        _("各县区申报数量（按状态）"),
        [row.county.name for row in rows],
        [(name, values) for name, values in series if any(values)] or series[:1],
        kind="stacked",
        value_format=COUNT,
        links=[office_list(cycle=cycle.pk, county=row.county.pk) for row in rows],
    )


def comparison_charts(cycle):
    per_cycle = figures.earlier_cycles(cycle)
    cycles = [item.cycle for item in per_cycle]
    labels = [_("第%(number)s届") % {"number": c.number_label} for c in cycles]
    totals = draw(
        _("历届申报与获评数量"),
        labels,
        [
            (_("申报"), [item.applications for item in per_cycle]),
            (_("获评"), [item.winners for item in per_cycle]),
        ],
        value_format=COUNT,
        links=[office_list(cycle=c.pk) for c in cycles],
    )
    winners = figures.winners_by_county(cycles)
    by_county = None
    if winners:
        by_county = draw(
            _("历届各县区获评数量"),
            [county.name for county, _counts in winners],
            [(label, [counts[i] for _county, counts in winners]) for i, label in enumerate(labels)],
            value_format=COUNT,
            links=[
                office_list(cycle="", county=county.pk, state=ApplicationState.AWARDED)
                for county, _counts in winners
            ],
        )
    return totals, by_county


def dashboard(cycle, *, days: int) -> dict:
    """Everything the page (and its Excel workbook) shows for `cycle`."""
    now = timezone.now()
    stuck = [
        (application, (now - application.last_event).days)
        for application in figures.stuck(cycle, days=days, now=now)
    ]
    totals, winners = comparison_charts(cycle)
    return {
        "funnel": funnel_chart(cycle),
        "counties": county_chart(cycle),
        "deadlines": figures.deadlines(cycle),
        "stuck": stuck,
        "days": days,
        "history": totals,
        "winners": winners,
    }


class CycleMixin(StaffReaderMixin):
    """The cycle in the URL (404 when unknown), else the current one (None before any)."""

    def get_cycle(self):
        if "cycle" in self.kwargs:
            return get_object_or_404(cycles_for(self.request.user), pk=self.kwargs["cycle"])
        return current_cycle()


class DashboardView(CycleMixin, TemplateView):
    template_name = "decisions/dashboard/cycle.html"

    def get_context_data(self, **kwargs):
        cycle = self.get_cycle()
        kwargs["cycle"] = cycle
        if cycle is None:
            return super().get_context_data(**kwargs)
        days = stuck_days(self.request.GET.get("days"))
        kwargs.update(
            dashboard(cycle, days=days),
            cycles=cycles_for(self.request.user)
            .exclude(phase=CyclePhase.DRAFT)
            .order_by("-number"),
            all_list=office_list(cycle=cycle.pk),
            xlsx_url=reverse("decisions:dashboard_xlsx", args=[cycle.pk]) + f"?days={days}",
        )
        return super().get_context_data(**kwargs)


class DashboardXlsxView(CycleMixin, View):
    """The dashboard's figures as an Excel workbook; the download is recorded (DESIGN.md §9)."""

    def get(self, request, *args, **kwargs):
        cycle = self.get_cycle()
        days = stuck_days(request.GET.get("days"))
        content = dashboard(cycle, days=days)
        data = dashboard_xlsx(
            cycle,
            charts=content,
            deadlines=content["deadlines"],
            stuck=content["stuck"],
            days=days,
        )
        download_record(
            by=request.user,
            obj=cycle,
            action="decisions.dashboard_export",
            what={"format": "xlsx", "stuck_days": days},
        )
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(
            True, clean_filename(_("数据看板_第%(number)s届.xlsx") % {"number": cycle.number})
        )
        response["Cache-Control"] = "private, no-store"
        return response


def dashboard_url(cycle=None) -> str:
    if cycle is None:
        return reverse("decisions:dashboard")
    return reverse("decisions:dashboard_cycle", args=[cycle.pk])


urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("dashboard/cycle/<int:cycle>/", DashboardView.as_view(), name="dashboard_cycle"),
    path("dashboard/cycle/<int:cycle>/xlsx/", DashboardXlsxView.as_view(), name="dashboard_xlsx"),
]
public_urlpatterns = []
