"""The agency's 情况报告 (第八条第（三）项, 第十四条第（四）项) as an Excel workbook and a PDF."""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from applications.enums import ApplicationState
from applications.models import Application
from award.enums import ApplicantKind
from award.pdf import render_pdf
from review.charts import expert_means_chart, group_means_chart, progress_chart
from review.enums import CHECK_STAGES, SCORED_STAGES, Stage
from review.models import Assignment, Expert, StageCheck
from review.selectors.dashboard import (
    CALIBRATION_FLOOR,
    CALIBRATION_MIN_PEERS,
    CALIBRATION_POINTS,
    CALIBRATION_SD,
    review_dashboard,
)
from review.selectors.ranking import ranking
from review.selectors.report import review_report

CHUNK_SIZE = 100
PDF_TEMPLATE = "pdf/review_report.html"


def _check_label(passed) -> str:
    if passed is None:
        return _("未记录")
    return _("通过") if passed else _("不通过")


def report_rows(cycle):
    """ranking(cycle) with what each row of the workbook adds: group, reassignment note,
    the failed check's reason, a disqualified expert in the group. One query, streamed."""
    active = Assignment.objects.active().filter(application=OuterRef("pk"))
    failed = StageCheck.objects.filter(application=OuterRef("pk"), passed=False)
    disqualified = Expert.objects.filter(
        disqualified_at__isnull=False,
        memberships__group__assignments__application=OuterRef("pk"),
        memberships__group__assignments__removed_at__isnull=True,
    )
    fields = [
        "pk",
        "rank",
        "name",
        "kind",
        "county__name",
        "state",
        "group_name",
        "reassignment",
        "failed_stage",
        "failed_reason",
        "has_disqualified",
        "corrections",
        "final_score",
        "final_percent",
        *(f"{stage}_passed" for stage in CHECK_STAGES),
        *(f"score_{stage}" for stage in SCORED_STAGES),
    ]
    return (
        ranking(cycle)
        .annotate(
            group_name=Subquery(active.values("group__name")[:1]),
            reassignment=Subquery(active.values("needs_reassignment")[:1]),
            failed_stage=Subquery(failed.values("stage")[:1]),
            failed_reason=Subquery(failed.values("reason")[:1]),
            has_disqualified=Exists(disqualified),
        )
        .values_list(*fields, named=True)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def row_flags(row) -> str:
    flags = []
    if row.failed_stage:
        flags.append(
            _("%(stage)s未通过：%(reason)s")
            % {"stage": Stage(row.failed_stage).label, "reason": row.failed_reason}
        )
    if row.reassignment:
        flags.append(_("需重新分配：%(reason)s") % {"reason": row.reassignment})
    if row.has_disqualified:
        flags.append(_("评审组有专家被取消评审资格（第二十二条）"))
    if row.corrections:
        flags.append(_("签字后评分更正%(count)s次") % {"count": row.corrections})
    return "；".join(str(flag) for flag in flags)


def _columns():
    return [
        (_("排名"), 6),
        (_("申报编号"), 9),
        (_("申报主体"), 32),
        (_("类型"), 8),
        (_("县区"), 12),
        (_("状态"), 10),
        (_("评审组"), 14),
        *((Stage(stage).label, 10) for stage in CHECK_STAGES),
        *((Stage(stage).label, 10) for stage in SCORED_STAGES),
        (_("最终得分"), 10),
        (_("得分率（%）"), 10),
        (_("说明"), 60),
    ]


def _text(sheet, value):
    """User-written text stays text: never a formula, never an error code."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _number(sheet, value):
    """A score as a number Excel shows with two decimals, like every page (portal_format)."""
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=round(Decimal(str(value)), 2))
    cell.number_format = "0.00"
    return cell


def write_report_xlsx(cycle, fileobj) -> None:
    """One row per application of the cycle from 复核通过 on, ranked within each kind, with
    its checks, stage scores (once signed), final score and flags. Streams: one query read
    in chunks, openpyxl's write-only mode, so memory stays flat."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("评审情况"))
    columns = _columns()
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F2DEDE")
    centre = Alignment(horizontal="center", vertical="center")
    header = []
    for title, _width in columns:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font, cell.fill, cell.alignment = bold, fill, centre
        header.append(cell)
    sheet.append(header)
    kinds = dict(ApplicantKind.choices)
    states = dict(ApplicationState.choices)
    for row in report_rows(cycle):
        values = [
            row.rank,
            row.pk,
            row.name,
            str(kinds.get(row.kind, row.kind)),
            row.county__name,
            str(states.get(row.state, row.state)),
            row.group_name or "",
            *(_check_label(getattr(row, f"{stage}_passed")) for stage in CHECK_STAGES),
            *(_number(sheet, getattr(row, f"score_{stage}")) for stage in SCORED_STAGES),
            _number(sheet, row.final_score),
            _number(sheet, row.final_percent),
            row_flags(row),
        ]
        sheet.append([_text(sheet, value) for value in values])
    _write_dashboard_sheet(workbook, cycle)
    workbook.save(fileobj)


def _write_dashboard_sheet(workbook, cycle) -> None:
    """The dashboard's figures: progress per group and stage, each group's and expert's mean
    percentage per stage beside the cycle's mean, and the calibration flag."""
    dashboard = review_dashboard(cycle)
    sheet = workbook.create_sheet(title=_("评审看板"))
    bold = Font(bold=True)

    def header(*titles):
        cells = []
        for title in titles:
            cell = WriteOnlyCell(sheet, value=str(title))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    for index, width in enumerate((24, 12, 12, 12, 12, 12, 12, 12, 12), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header(
        _("评审组"),
        _("环节"),
        _("分配申报"),
        _("应评分表"),
        _("已评分"),
        _("已提交"),
        _("已合议"),
        _("已签字"),
    )
    for row in dashboard["progress"]:
        sheet.append(
            [
                _text(sheet, row.group),
                row.stage_label,
                row.applications,
                row.sheets,
                row.scored,
                row.submitted,
                row.agreed,
                row.signed,
            ]
        )
    sheet.append([])
    labels = [label for label, _mean in dashboard["stage_columns"]]
    header(
        _("评审组或专家"),
        _("所在评审组"),
        *(_("%(stage)s平均得分比例（%%）") % {"stage": label} for label in labels),
        _("偏离较大"),
    )
    sheet.append(
        [
            str(_("本届平均")),
            "",
            *(_number(sheet, mean) for _label, mean in dashboard["stage_columns"]),
            "",
        ]
    )
    for row in dashboard["groups"] + dashboard["experts"]:
        flagged = [label for label, cell in zip(labels, row.cells, strict=True) if cell[3]]
        sheet.append(
            [
                _text(sheet, row.name),
                _text(sheet, row.group),
                *(_number(sheet, mean) for _stage, mean, _dev, _flag in row.cells),
                "、".join(flagged),
            ]
        )


def report_pdf(cycle) -> bytes:
    """The report as a PDF (WeasyPrint, Noto CJK fonts) from templates/pdf/review_report.html."""
    return render_pdf(PDF_TEMPLATE, pdf_context(cycle))


def dashboard_figures(cycle):
    """The review dashboard's figures and charts for the report (progress, distribution)."""
    dashboard = review_dashboard(cycle)
    charts = [progress_chart(dashboard)]
    if dashboard["experts"]:
        charts += [group_means_chart(dashboard), expert_means_chart(dashboard)]
    return dashboard, charts


def pdf_context(cycle) -> dict:
    dashboard, charts = dashboard_figures(cycle)
    return {
        "charts": charts,
        "flagged": [row for row in dashboard["groups"] + dashboard["experts"] if row.flagged],
        "calibration": {
            "points": CALIBRATION_POINTS,
            "sd": CALIBRATION_SD,
            "floor": CALIBRATION_FLOOR,
            "peers": CALIBRATION_MIN_PEERS,
        },
        "cycle": cycle,
        "report": review_report(cycle),
        "stages": [Stage(stage).label for stage in SCORED_STAGES],
        "check_stages": [Stage(stage).label for stage in CHECK_STAGES],
        "generated_at": timezone.localtime(),
        "waiting": Application.objects.filter(
            cycle=cycle, state__in=(ApplicationState.ACCEPTED, ApplicationState.IN_REVIEW)
        ).count(),
    }
