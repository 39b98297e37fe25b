"""Working days for the 公示期 (第十四条第（六）项), checked against the 2026 holiday notice."""

import datetime

import pytest

from award.enums import Role
from award.models import CalendarDay
from award.services.office import calendar_day_set, holiday_schedule_create
from award.workdays import CalendarUnknown, WorkingCalendar, is_workday, working_window
from tests.factories import make_user

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def office(db):
    return make_user(Role.OFFICE)


# 2026 (domain.md §3): 国庆 10/1–10/7 off, 9/20 (Sun) and 10/10 (Sat) worked;
# 春节 2/15–2/23 off, 2/14 and 2/28 (Sat) worked.


@pytest.mark.parametrize("day", [D(2026, 10, n) for n in range(1, 8)])
def test_national_day_2026_is_off(day):
    assert is_workday(day) is False


@pytest.mark.parametrize("day", [D(2026, 2, n) for n in range(15, 24)])
def test_spring_festival_2026_is_off(day):
    assert is_workday(day) is False


@pytest.mark.parametrize("day", [D(2026, 9, 20), D(2026, 10, 10), D(2026, 2, 14), D(2026, 2, 28)])
def test_make_up_weekend_days_of_2026_are_worked(day):
    assert day.weekday() >= 5
    assert is_workday(day) is True


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2026, 9, 30), True),  # Wednesday before the holiday
        (D(2026, 10, 8), True),  # Thursday after it
        (D(2026, 10, 11), False),  # an ordinary Sunday
        (D(2026, 2, 24), True),  # Tuesday after 春节
    ],
)
def test_ordinary_days_around_the_holidays(day, expected):
    assert is_workday(day) is expected


def test_five_working_days_from_the_eve_of_national_day_2026():
    # By hand: 9/30 (1); 10/1–10/7 off; 10/8 (2), 10/9 (3), 10/10 Sat make-up (4);
    # 10/11 Sun off; 10/12 (5).
    assert working_window(D(2026, 9, 30), 5) == (D(2026, 9, 30), D(2026, 10, 12))


def test_a_window_starting_on_a_holiday_starts_on_the_next_working_day():
    # 10/8 (1), 10/9 (2), 10/10 (3), 10/12 (4), 10/13 (5).
    assert working_window(D(2026, 10, 1), 5) == (D(2026, 10, 8), D(2026, 10, 13))


def test_five_working_days_across_spring_festival_2026():
    # 2/13 Fri (1), 2/14 Sat make-up (2), 2/15–2/23 off, 2/24 (3), 2/25 (4), 2/26 (5).
    assert working_window(D(2026, 2, 13), 5) == (D(2026, 2, 13), D(2026, 2, 26))


def test_a_window_has_at_least_one_working_day():
    with pytest.raises(ValueError):
        working_window(D(2026, 3, 2), 0)


# The office's schedule takes precedence; an unknown year is an error, never a guess.


def test_an_office_schedule_for_2027_is_used(office):
    schedule = holiday_schedule_create(
        year=2027, source="国务院办公厅关于2027年部分节假日安排的通知", by=office
    )
    assert schedule.days.count() == 0  # the bundled calendar does not know 2027
    for n in range(1, 8):
        calendar_day_set(
            schedule=schedule, date=D(2027, 10, n), is_workday=False, name="国庆节", by=office
        )
    calendar_day_set(
        schedule=schedule, date=D(2027, 10, 9), is_workday=True, name="国庆节调休上班", by=office
    )
    assert is_workday(D(2027, 10, 1)) is False  # a Friday, but a holiday
    assert is_workday(D(2027, 10, 9)) is True  # a Saturday, but worked
    assert is_workday(D(2027, 10, 10)) is False  # an ordinary Sunday
    assert is_workday(D(2027, 9, 30)) is True  # an ordinary Thursday
    # 9/30 (1); 10/1–10/7 off; 10/8 Fri (2), 10/9 Sat make-up (3); 10/11 (4), 10/12 (5).
    assert working_window(D(2027, 9, 30), 5) == (D(2027, 9, 30), D(2027, 10, 12))


def test_an_office_schedule_overrides_the_bundled_calendar(office):
    schedule = holiday_schedule_create(year=2026, source="更正", by=office)
    # The bundled year is copied in to start from.
    copied = dict(schedule.days.values_list("date", "is_workday"))
    assert copied[D(2026, 10, 1)] is False
    assert copied[D(2026, 10, 10)] is True
    assert CalendarDay.objects.get(date=D(2026, 2, 28)).name == "春节调休上班"
    calendar_day_set(
        schedule=schedule, date=D(2026, 10, 8), is_workday=False, name="补休", by=office
    )
    assert is_workday(D(2026, 10, 8)) is False
    assert is_workday(D(2026, 10, 10)) is True


def test_a_year_nobody_knows_is_refused_with_a_clear_message():
    with pytest.raises(CalendarUnknown) as caught:
        is_workday(D(2031, 5, 6))
    assert caught.value.year == 2031
    assert str(caught.value) == (
        "2031年的法定节假日安排尚未录入，无法计算工作日。"
        "请质量强市办先在“节假日安排”中录入该年度国务院办公厅通知的安排。"
    )


def test_a_window_running_into_an_unknown_year_is_refused():
    with pytest.raises(CalendarUnknown) as caught:
        working_window(D(2026, 12, 28), 5)
    assert caught.value.year == 2027


def test_one_calendar_asks_the_database_once_per_year(office, django_assert_num_queries):
    holiday_schedule_create(year=2027, source="", by=office)
    calendar = WorkingCalendar()
    with django_assert_num_queries(2):  # does 2027 have a schedule; its days
        calendar.window(D(2027, 1, 4), 60)
