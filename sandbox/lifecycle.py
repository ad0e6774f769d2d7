"""Canonical case statuses and outcomes, and how an outcome is chosen for a case.

Each family maps these canonical names to its own codes (REST `zt`, SOAP `Status`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from enum import StrEnum


class Status(StrEnum):
    received = "received"
    accepted = "accepted"
    not_accepted = "not-accepted"
    correction_requested = "correction-requested"
    processing = "processing"
    closed_approved = "closed-approved"
    closed_refused = "closed-refused"
    withdrawn = "withdrawn"


class Outcome(StrEnum):
    approved = "approved"
    correction = "correction"
    rejected = "rejected"
    not_accepted = "not_accepted"


CLOSED: frozenset[Status] = frozenset({Status.closed_approved, Status.closed_refused})
TERMINAL: frozenset[Status] = CLOSED | {Status.not_accepted, Status.withdrawn}

# The statuses a case goes through for each outcome, one step each.
PATHS: dict[Outcome, tuple[Status, ...]] = {
    Outcome.approved: (
        Status.received,
        Status.accepted,
        Status.processing,
        Status.closed_approved,
    ),
    Outcome.rejected: (
        Status.received,
        Status.accepted,
        Status.processing,
        Status.closed_refused,
    ),
    Outcome.not_accepted: (Status.received, Status.not_accepted),
    # Waits in correction_requested for a supplement (or times out to not_accepted).
    Outcome.correction: (Status.received, Status.accepted, Status.correction_requested),
}

# Where a case goes once a requested correction arrives.
AFTER_SUPPLEMENT: tuple[Status, ...] = (Status.processing, Status.closed_approved)


def unit_hash(*parts: str) -> float:
    """A deterministic number in [0, 1) from the parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def choose_outcome(province: str, serial: str, weights: Mapping[str, float]) -> Outcome:
    """The outcome for a case: deterministic in (province, serial) for given weights."""
    positive = [(o, float(weights.get(o.value, 0.0))) for o in Outcome]
    positive = [(o, w) for o, w in positive if w > 0]
    if not positive:
        return Outcome.approved
    total = sum(w for _, w in positive)
    point = unit_hash("outcome", province, serial) * total
    for outcome, weight in positive:
        if point < weight:
            return outcome
        point -= weight
    return positive[-1][0]
