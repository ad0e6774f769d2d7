"""The canonical case state machine: pure functions over leg statuses, no I/O.

A case has one leg per (role, province). Legs run in steps (the roles' ``order``): a step
is handed to its provinces once every leg of the earlier steps is accepted. Joint cases are
sagas: a leg refused *before* the pivot leg is accepted cancels (withdraws) the others —
compensation; once the pivot is accepted the case only moves forward — retries, never
withdrawals. The case status is derived from its legs and never moves backwards along
submitted → received → accepted → in_review, except out of correction_requested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemas._status import TERMINAL, CaseStatus

PENDING = "pending"  # a leg waiting for an earlier step; never sent to its province

_PROGRESS: tuple[CaseStatus, ...] = (
    CaseStatus.submitted,
    CaseStatus.received,
    CaseStatus.accepted,
    CaseStatus.in_review,
)
_RANK: dict[str, int] = {
    CaseStatus.submitted: 0,
    CaseStatus.received: 1,
    CaseStatus.accepted: 2,
    CaseStatus.in_review: 3,
    CaseStatus.correction_requested: 3,
    CaseStatus.approved: 4,
}
_OPEN_AT_PROVINCE = frozenset(
    {
        CaseStatus.received,
        CaseStatus.accepted,
        CaseStatus.in_review,
        CaseStatus.correction_requested,
    }
)


@dataclass(frozen=True)
class LegView:
    status: str  # PENDING or a CaseStatus value
    step: int
    pivot: bool = False


def is_final_leg(status: str) -> bool:
    return status in (
        CaseStatus.approved,
        CaseStatus.rejected,
        CaseStatus.cancelled,
        CaseStatus.failed,
    )


def derive(previous: CaseStatus, legs: Sequence[LegView]) -> CaseStatus:
    """The case status implied by its legs, given the status it had."""
    if previous in TERMINAL:
        return previous
    statuses = [leg.status for leg in legs]
    for final in (CaseStatus.failed, CaseStatus.rejected, CaseStatus.cancelled):
        if final in statuses:
            return final
    if statuses and all(s == CaseStatus.approved for s in statuses):
        return CaseStatus.completed
    if CaseStatus.correction_requested in statuses:
        return CaseStatus.correction_requested
    started = [_RANK[s] for s in statuses if s != PENDING]
    derived = _PROGRESS[min(min(started, default=0), len(_PROGRESS) - 1)]
    if previous in _PROGRESS and _RANK[previous] > _RANK[derived]:
        return previous
    return derived


def pivot_passed(legs: Sequence[LegView]) -> bool:
    """True once any pivot leg is accepted or beyond: from then on, only forward."""
    return any(
        leg.pivot and leg.status in (CaseStatus.accepted, CaseStatus.in_review, CaseStatus.approved)
        for leg in legs
    )


def ready_to_submit(legs: Sequence[LegView]) -> list[int]:
    """Indexes of pending legs whose earlier steps are all accepted or beyond."""
    pending_steps = sorted({leg.step for leg in legs if leg.status == PENDING})
    if not pending_steps:
        return []
    step = pending_steps[0]
    earlier = [leg for leg in legs if leg.step < step]
    if not all(
        _RANK.get(leg.status, -1) >= _RANK[CaseStatus.accepted]
        and leg.status != CaseStatus.correction_requested
        for leg in earlier
    ):
        return []
    return [i for i, leg in enumerate(legs) if leg.step == step and leg.status == PENDING]


def to_compensate(case_status: CaseStatus, legs: Sequence[LegView]) -> list[int]:
    """Legs to withdraw once the case has ended badly before its pivot."""
    if case_status not in (CaseStatus.rejected, CaseStatus.failed, CaseStatus.cancelled):
        return []
    if pivot_passed(legs) and case_status is not CaseStatus.cancelled:
        return []
    return [i for i, leg in enumerate(legs) if leg.status in _OPEN_AT_PROVINCE]


def to_drop(case_status: CaseStatus, legs: Sequence[LegView]) -> list[int]:
    """Pending legs that will never be sent because the case has ended."""
    if case_status not in TERMINAL:
        return []
    return [i for i, leg in enumerate(legs) if leg.status in (PENDING, CaseStatus.submitted)]
