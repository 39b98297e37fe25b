"""The office's reference data: counties, holiday schedules and third-party agencies."""

import datetime

import chinese_calendar
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from award.enums import Role
from award.models import Agency, CalendarDay, County, HolidaySchedule, User
from award.services.audit import audit_record
from award.services.submissions import submission_claim, submission_made
from award.text import refuse_bad_model_text

COUNTY_FIELDS = ("code", "name", "is_active", "sort_order")
AGENCY_FIELDS = ("name", "uscc", "contact_name", "contact_phone")


def _require_office(by: User) -> None:
    if by is None or not by.is_authenticated or not by.has_role(Role.OFFICE):
        raise PermissionDenied(_("只有质量强市办可以维护基础数据。"))


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"cannot set fields {sorted(unknown)}")


def _values(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def _create(
    model, *, by: User, allowed, action: str, article: str = "", submission_token=None, **fields
):
    _check_fields(fields, allowed)
    _require_office(by)
    fields = refuse_bad_model_text(model, fields)
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action=action)
        obj = model(**fields)
        obj.full_clean()
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:  # the same name was saved just now, past full_clean
            obj.validate_unique()
            raise
        submission_made(claim, obj)
        audit_record(actor=by, action=action, obj=obj, after=_values(obj, allowed), article=article)
    return obj


def _update(obj, *, by: User, allowed, action: str, article: str = "", **fields):
    _check_fields(fields, allowed)
    _require_office(by)
    fields = refuse_bad_model_text(type(obj), fields)
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        before = _values(locked, allowed)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        after = _values(locked, allowed)
        changed = [name for name in allowed if before[name] != after[name]]
        if changed:
            locked.save(update_fields=changed)
            audit_record(
                actor=by,
                action=action,
                obj=locked,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
                article=article,
            )
    obj.refresh_from_db()
    return obj


def county_create(*, by: User, submission_token=None, **fields) -> County:
    """Add a county-level body that runs 初审 (第十四条第（三）项), e.g. 蒙山旅游区管委会."""
    fields["code"] = fields.get("code") or None
    return _create(
        County,
        by=by,
        allowed=COUNTY_FIELDS,
        action="county.create",
        article="第十四条第（三）项",
        submission_token=submission_token,
        **fields,
    )


def county_update(*, county: County, by: User, **fields) -> County:
    """Rename, renumber, reorder or switch off a county. Office only; audited."""
    if "code" in fields:
        fields["code"] = fields["code"] or None
    return _update(
        county,
        by=by,
        allowed=COUNTY_FIELDS,
        action="county.update",
        article="第十四条第（三）项",
        **fields,
    )


def agency_create(*, by: User, submission_token=None, **fields) -> Agency:
    """Record a third-party organisation the office may engage (第七条第（二）项)."""
    return _create(
        Agency,
        by=by,
        allowed=AGENCY_FIELDS,
        action="agency.create",
        article="第七条第（二）项",
        submission_token=submission_token,
        **fields,
    )


def agency_update(*, agency: Agency, by: User, **fields) -> Agency:
    """Correct an agency's name or contact details. Office only; audited."""
    return _update(
        agency,
        by=by,
        allowed=AGENCY_FIELDS,
        action="agency.update",
        article="第七条第（二）项",
        **fields,
    )


def _official_days(year: int) -> list[tuple[datetime.date, bool, str]]:
    """The days chinesecalendar knows for `year` that break the Monday-to-Friday rule."""
    day = datetime.date(year, 1, 1)
    found = []
    try:
        while day.year == year:
            workday = chinese_calendar.is_workday(day)
            if workday != (day.weekday() < 5):
                _on_holiday, name = chinese_calendar.get_holiday_detail(day)
                found.append((day, workday, _holiday_name(name, workday)))
            day += datetime.timedelta(days=1)
    except NotImplementedError:
        return []
    return found


HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _holiday_name(name, workday: bool) -> str:
    label = HOLIDAY_NAMES.get(str(name), "") if name else ""
    if workday:
        return _("%(holiday)s调休上班") % {"holiday": label} if label else _("调休上班")
    return label or _("放假")


def holiday_schedule_create(
    *, year: int, source: str, by: User, submission_token=None
) -> HolidaySchedule:
    """Enter a year's 国务院办公厅 holiday notice; it then takes precedence for that year.

    For a year the bundled calendar already knows, its holidays and make-up workdays are
    copied in, so the schedule starts out right and the office only corrects it. One
    schedule per year: a second one, even raced past the check, is refused on the year.
    The form posted twice raises SubmissionReplayed with the first schedule.
    """
    _require_office(by)
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="holiday_schedule.create")
        if not 2000 <= year <= 2100:
            raise ValidationError({"year": _("请填写2000至2100之间的年度。")})
        typed = refuse_bad_model_text(HolidaySchedule, {"source": source or ""})
        schedule = HolidaySchedule(year=year, source=typed["source"], entered_by=by)
        schedule.full_clean()
        try:
            with transaction.atomic():
                schedule.save()
        except IntegrityError:  # another office user entered the same year just now
            raise ValidationError(
                {"year": _("%(year)s年的节假日安排已经录入。") % {"year": year}}, code="unique"
            ) from None
        submission_made(claim, schedule)
        days = [
            CalendarDay(schedule=schedule, date=date, is_workday=workday, name=name)
            for date, workday, name in _official_days(year)
        ]
        CalendarDay.objects.bulk_create(days)
        audit_record(
            actor=by,
            action="holiday_schedule.create",
            obj=schedule,
            after={"year": year, "source": schedule.source, "copied_days": len(days)},
            article="第十四条第（六）项",
        )
    return schedule


def calendar_day_set(
    *, schedule: HolidaySchedule, date: datetime.date, is_workday: bool, name: str, by: User
) -> CalendarDay:
    """Mark one day of the schedule's year as a holiday or a make-up workday. Audited."""
    _require_office(by)
    if date.year != schedule.year:
        raise ValidationError({"date": _("日期必须在%(year)s年内。") % {"year": schedule.year}})
    name = refuse_bad_model_text(CalendarDay, {"name": name or ""})["name"]
    with transaction.atomic():
        HolidaySchedule.objects.select_for_update().get(pk=schedule.pk)
        day = CalendarDay.objects.filter(date=date).first()
        before = {"is_workday": day.is_workday, "name": day.name} if day is not None else None
        if day is None:
            day = CalendarDay(schedule=schedule, date=date)
        day.is_workday = is_workday
        day.name = name
        day.full_clean()
        day.save()
        audit_record(
            actor=by,
            action="calendar_day.set",
            obj=schedule,
            before={"date": date, **before} if before else None,
            after={"date": date, "is_workday": is_workday, "name": day.name},
            article="第十四条第（六）项",
        )
    return day


def calendar_day_remove(*, day: CalendarDay, by: User) -> None:
    """Drop a special day, so the date follows the Monday-to-Friday rule again. Audited."""
    _require_office(by)
    with transaction.atomic():
        locked = CalendarDay.objects.select_for_update().select_related("schedule").get(pk=day.pk)
        audit_record(
            actor=by,
            action="calendar_day.remove",
            obj=locked.schedule,
            before={"date": locked.date, "is_workday": locked.is_workday, "name": locked.name},
            article="第十四条第（六）项",
        )
        locked.delete()
