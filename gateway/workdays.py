"""Working-day clocks (法定/承诺时限) on the official holiday calendar (chinesecalendar).

The calendar package knows each year's statutory holidays and adjusted workdays only once
the State Council publishes them (usually in November for the next year). A limit running
past the data is *not* guessed: ``CalendarExhausted`` is raised, the case records that its
deadline is pending, and ``/readyz`` reports how far the calendar reaches.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

BEIJING = dt.timezone(dt.timedelta(hours=8))


class CalendarExhausted(LookupError):
    """The working-day calendar has no data for a date the computation needs."""

    def __init__(self, day: dt.date) -> None:
        super().__init__(
            f"the holiday calendar has no data for {day.year}; upgrade chinesecalendar "
            "once the State Council publishes that year's holiday arrangement"
        )
        self.day = day


def is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise CalendarExhausted(day) from None


@lru_cache(maxsize=1)
def covered_until() -> dt.date:
    """The last day the calendar has data for."""
    year = dt.date.today().year + 5
    while year > 2004:
        try:
            chinese_calendar.is_workday(dt.date(year, 12, 31))
        except NotImplementedError:
            year -= 1
            continue
        return dt.date(year, 12, 31)
    raise CalendarExhausted(dt.date.today())


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (the start day itself does not count)."""
    if days < 0:
        raise ValueError("days must be non-negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def beijing_today(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(BEIJING).date()
