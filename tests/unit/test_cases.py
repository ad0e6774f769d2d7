"""The case state machine, table by table."""

from __future__ import annotations

import pytest

from gateway.cases import (
    PENDING,
    LegView,
    derive,
    pivot_passed,
    ready_to_submit,
    to_compensate,
    to_drop,
)
from schemas._status import CaseStatus as S


def legs(*statuses: str, pivot_at: int | None = None) -> list[LegView]:
    return [LegView(status, step=i, pivot=i == pivot_at) for i, status in enumerate(statuses)]


@pytest.mark.parametrize(
    ("previous", "leg_statuses", "expected"),
    [
        (S.submitted, [S.submitted], S.submitted),
        (S.submitted, [S.received], S.received),
        (S.received, [S.accepted, PENDING], S.accepted),
        (S.accepted, [S.approved, PENDING], S.in_review),
        (S.in_review, [S.approved, S.received], S.in_review),  # never backwards
        (S.in_review, [S.approved, S.approved], S.completed),
        (S.in_review, [S.approved, S.correction_requested], S.correction_requested),
        (S.correction_requested, [S.approved, S.in_review], S.in_review),
        (S.accepted, [S.rejected, PENDING], S.rejected),
        (S.accepted, [S.approved, S.failed], S.failed),
        (S.accepted, [S.cancelled, S.in_review], S.cancelled),
        (S.completed, [S.rejected], S.completed),  # terminal stays terminal
        (S.rejected, [S.approved, S.approved], S.rejected),
    ],
)
def test_derive(previous: S, leg_statuses: list[str], expected: S) -> None:
    assert derive(previous, legs(*leg_statuses)) is expected


def test_next_step_waits_until_earlier_steps_are_accepted() -> None:
    assert ready_to_submit(legs(S.received, PENDING)) == []
    assert ready_to_submit(legs(S.correction_requested, PENDING)) == []
    assert ready_to_submit(legs(S.accepted, PENDING)) == [1]
    assert ready_to_submit(legs(S.approved, S.received)) == []


def test_legs_of_one_step_go_together() -> None:
    same_step = [LegView(PENDING, 0), LegView(PENDING, 0), LegView(PENDING, 1)]
    assert ready_to_submit(same_step) == [0, 1]


def test_compensation_only_before_the_pivot() -> None:
    before = legs(S.accepted, S.rejected, pivot_at=1)
    assert not pivot_passed(before)
    assert to_compensate(S.rejected, before) == [0]
    after = legs(S.rejected, S.accepted, pivot_at=1)
    assert pivot_passed(after)
    assert to_compensate(S.rejected, after) == []  # retry forward, never undo
    assert to_compensate(S.in_review, before) == []


def test_pending_legs_are_dropped_when_the_case_ends() -> None:
    assert to_drop(S.rejected, legs(S.rejected, PENDING)) == [1]
    assert to_drop(S.in_review, legs(S.accepted, PENDING)) == []
