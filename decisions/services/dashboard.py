"""The office's cycle dashboard as an Excel workbook (issue 12, item 5): the figures of every
chart on the page, one sheet each, as numbers (not the formatted text of the page), plus the
deadlines and the applications idle longer than N days."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from award.charts import Chart

BOLD = Font(bold=True)


def _sheet(book, title: str, header: list[str], rows, widths: list[int]):
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(list(row))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _chart_sheet(book, title: str, heading: str, chart: Chart):
    rows = (
        [label, *[values[i] for _name, values in chart.series]]
        for i, label in enumerate(chart.labels)
    )
    _sheet(book, title, [heading, *chart.series_names], rows, [20] + [12] * len(chart.series))


def dashboard_xlsx(cycle, *, charts: dict, deadlines, stuck, days: int) -> bytes:
    """The workbook of one cycle's dashboard. `charts` holds the page's Chart objects
    (funnel, counties, history and, when there are winners, winners), so the sheets carry
    exactly the figures the charts draw; `stuck` is [(application, days idle)]."""
    book = Workbook()
    book.remove(book.active)
    summary = _sheet(book, _("说明"), [_("项目"), _("内容")], [], [16, 60])
    summary.append([_("届次"), str(cycle)])
    summary.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    summary.append([_("申报漏斗"), _("各环节为到达过该环节的申报数（含此后继续前进或未通过的）。")])
    _chart_sheet(book, _("申报漏斗"), _("环节"), charts["funnel"])
    _chart_sheet(book, _("各县区申报"), _("县区"), charts["counties"])
    _sheet(
        book,
        _("截止日期"),
        [_("事项"), _("日期"), _("剩余天数")],
        ([d.label, d.on, d.days_left] for d in deadlines),
        [16, 12, 10],
    )
    for row in book[_("截止日期")].iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd"
    _sheet(
        book,
        _("超过%(days)s天未办理") % {"days": days},
        [_("申报主体"), _("县区"), _("类型"), _("状态"), _("上次办理"), _("已停留天数")],
        (
            [
                application.name,
                application.county.name,
                application.get_kind_display(),
                application.get_state_display(),
                timezone.localtime(application.last_event).date(),
                idle,
            ]
            for application, idle in stuck
        ),
        [32, 14, 8, 12, 12, 10],
    )
    _chart_sheet(book, _("历届对比"), _("届次"), charts["history"])
    if charts.get("winners") is not None:
        _chart_sheet(book, _("历届各县区获评"), _("县区"), charts["winners"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
