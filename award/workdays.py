"""Working days by the State Council calendar (第十四条第（六）项: 公示期为5个工作日).

An office-entered HolidaySchedule for a year takes precedence; otherwise chinesecalendar;
a year neither knows raises CalendarUnknown instead of guessing.
"""

import datetime

import chinese_calendar
from django.utils.translation import gettext as _

from award.models import CalendarDay, HolidaySchedule


class CalendarUnknown(Exception):
    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "%(year)s年的法定节假日安排尚未录入，无法计算工作日。"
                "请质量强市办先在“节假日安排”中录入该年度国务院办公厅通知的安排。"
            )
            % {"year": year}
        )


class WorkingCalendar:
    """Answers is_workday for many dates with one query per year."""

    def __init__(self):
        self._years: dict[int, dict[datetime.date, bool] | None] = {}

    def _office_days(self, year: int):
        if year not in self._years:
            if HolidaySchedule.objects.filter(year=year).exists():
                self._years[year] = dict(
                    CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
                )
            else:
                self._years[year] = None
        return self._years[year]

    def is_workday(self, day: datetime.date) -> bool:
        office = self._office_days(day.year)
        if office is not None:
            return office.get(day, day.weekday() < 5)
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise CalendarUnknown(day.year) from None

    def first_workday_from(self, day: datetime.date) -> datetime.date:
        while not self.is_workday(day):
            day += datetime.timedelta(days=1)
        return day

    def window(
        self, start: datetime.date, working_days: int
    ) -> tuple[datetime.date, datetime.date]:
        """The first and last date of a window of `working_days` working days from `start`."""
        if working_days < 1:
            raise ValueError("a window has at least one working day")
        first = self.first_workday_from(start)
        last, counted = first, 1
        while counted < working_days:
            last += datetime.timedelta(days=1)
            if self.is_workday(last):
                counted += 1
        return first, last


def is_workday(day: datetime.date) -> bool:
    return WorkingCalendar().is_workday(day)


def working_window(start: datetime.date, working_days: int):
    return WorkingCalendar().window(start, working_days)
