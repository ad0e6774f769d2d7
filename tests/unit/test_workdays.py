"""Working days on the official calendar, and a loud failure past its data."""

from __future__ import annotations

import datetime as dt

import pytest

from gateway.workdays import (
    CalendarExhausted,
    add_working_days,
    covered_until,
    is_workday,
    working_days_between,
)


def test_national_day_week_is_skipped() -> None:
    # 2024-09-30 (Mon) + 1 working day: 1–7 Oct are holidays, 8 Oct a working day.
    assert add_working_days(dt.date(2024, 9, 30), 1) == dt.date(2024, 10, 8)


def test_adjusted_weekend_workday_counts() -> None:
    # Sunday 2024-09-29 was an adjusted working day (调休上班).
    assert is_workday(dt.date(2024, 9, 29))
    assert add_working_days(dt.date(2024, 9, 27), 1) == dt.date(2024, 9, 29)


def test_five_working_days_over_a_weekend() -> None:
    assert add_working_days(dt.date(2024, 3, 1), 5) == dt.date(2024, 3, 8)
    assert working_days_between(dt.date(2024, 3, 1), dt.date(2024, 3, 8)) == 5
    assert working_days_between(dt.date(2024, 3, 8), dt.date(2024, 3, 1)) == -5


def test_zero_days_is_the_start() -> None:
    assert add_working_days(dt.date(2024, 3, 1), 0) == dt.date(2024, 3, 1)


def test_beyond_the_calendar_is_loud() -> None:
    end = covered_until()
    assert end.month == 12
    assert end.day == 31
    with pytest.raises(CalendarExhausted, match=str(end.year + 1)):
        add_working_days(end - dt.timedelta(days=3), 30)
