"""Excel export of applications for 质量强市办, streamed row by row (DESIGN.md §8)."""

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from applications.enums import ApplicationState, EventAction
from applications.models import Application, ApplicationEvent
from applications.validators import mask_id_number
from award.enums import ApplicantKind
from award.numerals import ordinal_number

CHUNK_SIZE = 100  # rows fetched per round trip; memory stays flat however many rows
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# 初审 is the county's decision on a submission; 复核 the office's on a recommendation.
PRELIMINARY_STEP = Q(
    action__in=[EventAction.RECOMMEND, EventAction.DECLINE, EventAction.RETURN],
    from_state=ApplicationState.SUBMITTED,
)
RECHECK_STEP = Q(
    action__in=[EventAction.ACCEPT, EventAction.REJECT, EventAction.RETURN],
    from_state=ApplicationState.RECOMMENDED,
)


def _columns():
    """(header, width in characters) of each column, in order."""
    return [
        (_("届次"), 22),
        (_("申报编号"), 10),
        (_("申报主体"), 32),
        (_("类型"), 8),
        (_("县区"), 14),
        (_("状态"), 12),
        (_("提报时间"), 17),
        (_("统一社会信用代码/身份证号码"), 22),
        (_("联系人"), 10),
        (_("联系电话"), 15),
        (_("初审意见"), 40),
        (_("复核意见"), 40),
    ]


def _latest(step: Q, field: str) -> Subquery:
    events = ApplicationEvent.objects.filter(step, application_id=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    return Subquery(events.values(field)[:1])


ROW_FIELDS = (
    "pk",
    "cycle__number",
    "cycle__year",
    "name",
    "kind",
    "county__name",
    "state",
    "submitted_at",
    "identifier",
    "applicant__mobile",
    "applicant__unit_profile__contact_name",
    "applicant__unit_profile__contact_phone",
    "applicant__individual_profile__name",
    "applicant__individual_profile__contact_phone",
    "preliminary_action",
    "preliminary_opinion",
    "recheck_action",
    "recheck_opinion",
)


def export_rows(queryset):
    """The values each row needs, as light tuples from one query (joins and subqueries)."""
    return (
        queryset.annotate(
            preliminary_action=_latest(PRELIMINARY_STEP, "action"),
            preliminary_opinion=_latest(PRELIMINARY_STEP, "opinion"),
            recheck_action=_latest(RECHECK_STEP, "action"),
            recheck_opinion=_latest(RECHECK_STEP, "opinion"),
        )
        .values_list(*ROW_FIELDS, named=True)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _opinion(action, opinion) -> str:
    if not action:
        return ""
    label = EventAction(action).label
    return f"{label}：{opinion}" if opinion else str(label)


def _contact(row) -> tuple[str, str]:
    if row.kind == ApplicantKind.UNIT:
        name, phone = (
            row.applicant__unit_profile__contact_name,
            row.applicant__unit_profile__contact_phone,
        )
    else:
        name, phone = (
            row.applicant__individual_profile__name,
            row.applicant__individual_profile__contact_phone,
        )
    return name or "", phone or row.applicant__mobile or ""


def _identifier(row) -> str:
    """A unit's 统一社会信用代码 in full; a person's ID number only masked (domain.md §4)."""
    if row.kind == ApplicantKind.UNIT:
        return row.identifier
    return mask_id_number(row.identifier)


def _text(sheet, value):
    """User-written text stays text: never a formula (「=HYPERLINK(…)」 in a name), never an
    error code, and without the control characters the xlsx format cannot hold."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _when(sheet, value):
    if value is None:
        return ""
    cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
    cell.number_format = DATETIME_FORMAT
    return cell


def write_applications_xlsx(queryset, fileobj) -> None:
    """Write one row per application of `queryset` to `fileobj` as an .xlsx workbook.

    Streams: the rows come from the database in chunks over one query (the latest 初审 and
    复核 opinions are subqueries) and openpyxl's write-only mode keeps no rows in memory, so
    neither memory nor queries grow with the number of applications. Personal ID numbers
    appear masked.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("申报汇总"))
    columns = _columns()
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F2DEDE")
    centre = Alignment(horizontal="center", vertical="center")
    header = []
    for title, _width in columns:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font, cell.fill, cell.alignment = header_font, header_fill, centre
        header.append(cell)
    sheet.append(header)
    kinds = dict(ApplicantKind.choices)
    states = dict(Application._meta.get_field("state").flatchoices)
    for row in export_rows(queryset):
        contact_name, contact_phone = _contact(row)
        values = [
            _("第%(number)s届（%(year)s年）")
            % {"number": ordinal_number(row.cycle__number), "year": row.cycle__year},
            row.pk,
            row.name,
            str(kinds.get(row.kind, row.kind)),
            row.county__name,
            str(states.get(row.state, row.state)),
            _when(sheet, row.submitted_at),
            _identifier(row),
            contact_name,
            contact_phone,
            _opinion(row.preliminary_action, row.preliminary_opinion),
            _opinion(row.recheck_action, row.recheck_opinion),
        ]
        sheet.append([_text(sheet, value) for value in values])
    workbook.save(fileobj)
