"""Date and month fields read from the models' types (schemas/_temporal.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel

from schemas._fields import PastDate, YearMonth
from schemas._temporal import catalogue_temporal_fields, temporal_fields


class _Period(BaseModel):
    term_start: dt.date
    paid_up_to: YearMonth | None = None


class _Answer(BaseModel):
    periods: list[_Period]
    born: PastDate
    months: list[YearMonth] = []
    note: str = ""


def test_types_decide_through_nesting_optionals_and_lists() -> None:
    assert temporal_fields([_Answer]) == {
        "born": "date",
        "months": "month",
        "paid_up_to": "month",
        "term_start": "date",
    }


def test_a_name_typed_two_ways_is_refused() -> None:
    class _Other(BaseModel):
        born: str

    with pytest.raises(ValueError, match="'born' is typed two ways"):
        temporal_fields([_Answer, _Other])


def test_the_catalogue_is_consistent() -> None:
    found = catalogue_temporal_fields()
    assert found["valid_until"] == "date"
    assert found["registered_unemployed_since"] == "date"
    assert found["paid_up_to"] == "month"
    assert found["from_month"] == "month"
