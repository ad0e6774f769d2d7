"""The family-independent case engine: cases keyed by (province, reference).

Submissions are idempotent by the sender's serial. Status moves in one of two ways:

- `time` (rest_oauth, soap_gbk, form_sm3): lazily, whenever a case is looked at it is
  advanced one step per `step_seconds` since its current status began, so no background task
  is needed and a change of `step_seconds` applies from the current status on;
- `runs` (batch_callback): only by `run(province)`, which moves every open case one step
  (the family's batch window); a background loop calls it every `step_seconds`.

Listeners hear of every status change (batch_callback sends its callbacks from there).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sandbox import decisions
from sandbox.clock import wire_date
from sandbox.data import ContributionData
from sandbox.items import Item
from sandbox.lifecycle import (
    AFTER_SUPPLEMENT,
    CLOSED,
    PATHS,
    TERMINAL,
    Outcome,
    Status,
    choose_outcome,
)
from sandbox.parties import Party, mask_id
from sandbox.provinces import Province
from sandbox.settings import Settings

log = logging.getLogger("sandbox.engine")

WITHDRAWN_REASON = "申请人主动撤回申请"


class CaseNotFound(LookupError):
    pass


class NotAllowed(Exception):
    """The operation is not allowed in the case's current status."""

    def __init__(self, case: Case, operation: str) -> None:
        super().__init__(f"{operation} not allowed in status {case.status.value}")
        self.case = case
        self.operation = operation


Progression = Literal["time", "runs"]
Listener = Callable[["Case"], None]


@dataclass
class Case:
    province: str
    reference: str
    serial: str
    item: Item
    party: Party
    data: dict[str, Any]
    sender: str | None
    related_ref: str | None
    outcome: Outcome
    created_at: float
    path: tuple[Status, ...]
    position: int = 0
    status_since: float = 0.0
    reason: str | None = None
    runs_waited: int = 0  # runs spent waiting for a supplement (progression "runs")
    decision: decisions.Decision | None = None
    supplements: list[dict[str, Any]] = field(default_factory=list)
    history: list[tuple[Status, float]] = field(default_factory=list)

    @property
    def status(self) -> Status:
        return self.path[self.position]

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


class CaseEngine:
    def __init__(
        self,
        provinces: Mapping[str, Province],
        settings: Callable[[str], Settings],
        contributions: ContributionData,
        clock: Callable[[], float] = time.time,
        progression: Progression = "time",
    ) -> None:
        self._provinces = provinces
        self.progression: Progression = progression
        self.listeners: list[Listener] = []
        self._settings = settings
        self._contributions = contributions
        self._clock = clock
        self._cases: dict[tuple[str, str], Case] = {}
        self._open: dict[str, dict[str, Case]] = {}  # province -> reference -> open case
        self._by_serial: dict[tuple[str, str], str] = {}
        self._sequences: Counter[tuple[str, str]] = Counter()
        self._counts: dict[str, Counter[str]] = {}

    # --- operations ----------------------------------------------------------------------

    def submit(
        self,
        province: str,
        *,
        serial: str,
        item: Item,
        party: Party,
        data: dict[str, Any],
        sender: str | None = None,
        related_ref: str | None = None,
    ) -> tuple[Case, bool]:
        """Creates a case, or returns the one already made for this serial (replayed=True)."""
        counts = self._count(province)
        counts["submissions"] += 1
        existing = self._by_serial.get((province, serial))
        if existing is not None:
            counts["replays"] += 1
            return self.get(province, existing), True
        now = self._clock()
        prov = self._provinces[province]
        self._sequences[(province, "case")] += 1
        reference = f"{prov.letters}{wire_date(now)}{self._sequences[(province, 'case')]:05d}"
        outcome = choose_outcome(province, serial, self._settings(province).outcomes)
        case = Case(
            province=province,
            reference=reference,
            serial=serial,
            item=item,
            party=party,
            data=data,
            sender=sender,
            related_ref=related_ref,
            outcome=outcome,
            created_at=now,
            path=PATHS[outcome],
            status_since=now,
            history=[(Status.received, now)],
        )
        self._cases[(province, reference)] = case
        self._open.setdefault(province, {})[reference] = case
        self._by_serial[(province, serial)] = reference
        counts["cases"] += 1
        log.info(
            "case %s created: province=%s item=%s party=%s",
            reference,
            province,
            item.code,
            mask_id(party.identifier),
        )
        return case, False

    def get(self, province: str, reference: str) -> Case:
        case = self._cases.get((province, reference))
        if case is None:
            raise CaseNotFound(reference)
        self._advance(case)
        return case

    def supplement(self, province: str, reference: str, data: dict[str, Any]) -> Case:
        case = self.get(province, reference)
        if case.status is not Status.correction_requested:
            raise NotAllowed(case, "supplement")
        case.supplements.append(data)
        now = self._clock()
        case.path, case.position, case.reason = AFTER_SUPPLEMENT, 0, None
        case.runs_waited = 0
        self._enter(case, now)
        return case

    def withdraw(self, province: str, reference: str) -> Case:
        case = self.get(province, reference)
        if case.status is Status.withdrawn:
            return case  # withdrawing twice is harmless
        if case.terminal:
            raise NotAllowed(case, "withdraw")
        case.path = (*case.path[: case.position + 1], Status.withdrawn)
        case.position += 1
        self._enter(case, self._clock(), reason=WITHDRAWN_REASON)
        return case

    def record_lookup(self, province: str) -> None:
        self._count(province)["lookups"] += 1

    def run(self, province: str) -> int:
        """One batch run: every open case of the province moves one step. Answers how many
        moved. Only for progression "runs"."""
        now = self._clock()
        settings = self._settings(province)
        moved = 0
        for case in list(self._open.get(province, {}).values()):
            if case.status is Status.correction_requested:
                case.runs_waited += 1
                if case.runs_waited < settings.correction_wait_steps:
                    continue
                self._time_out(case, now)
            elif case.position + 1 < len(case.path):
                case.position += 1
                self._enter(case, now)
            else:
                continue
            moved += 1
        return moved

    # --- views ---------------------------------------------------------------------------

    def cases(self, province: str) -> list[Case]:
        found = [c for (p, _), c in self._cases.items() if p == province]
        for case in found:
            self._advance(case)
        return found

    def stats(self) -> dict[str, Any]:
        keys = ("cases", "submissions", "replays", "lookups")
        by_province = {
            code: {k: self._counts.get(code, Counter())[k] for k in keys}
            for code in sorted(self._provinces)
        }
        totals = {k: sum(p[k] for p in by_province.values()) for k in keys}
        return {**totals, "by_province": by_province}

    def reset(self) -> None:
        self._cases.clear()
        self._open.clear()
        self._by_serial.clear()
        self._sequences.clear()
        self._counts.clear()

    # --- progression ---------------------------------------------------------------------

    def _count(self, province: str) -> Counter[str]:
        return self._counts.setdefault(province, Counter())

    def _advance(self, case: Case) -> None:
        if self.progression != "time":
            return
        settings = self._settings(case.province)
        step = settings.step_seconds
        now = self._clock()
        while not case.terminal:
            if case.status is Status.correction_requested:
                deadline = case.status_since + step * settings.correction_wait_steps
                if now < deadline:
                    return
                self._time_out(case, deadline)
                return
            due = case.status_since + step
            if now < due or case.position + 1 >= len(case.path):
                return
            case.position += 1
            self._enter(case, due)

    def _time_out(self, case: Case, at: float) -> None:
        """No supplement came in time: not accepted."""
        case.path = (*case.path[: case.position + 1], Status.not_accepted)
        case.position += 1
        self._enter(case, at, reason=decisions.CORRECTION_TIMEOUT_REASON)

    def _enter(self, case: Case, at: float, reason: str | None = None) -> None:
        """Bookkeeping when `case` has just moved to `case.status` at time `at`."""
        status = case.status
        case.status_since = at
        case.history.append((status, at))
        if reason is not None:
            case.reason = reason
        elif status is Status.correction_requested:
            case.reason = decisions.correction_reason(case.item, case.province, case.serial)
        elif status is Status.not_accepted:
            case.reason = decisions.not_accepted_reason(case.item)
        elif status is Status.closed_refused:
            case.reason = decisions.refusal_reason(case.item)
        if status in CLOSED:
            self._sequences[(case.province, "decision")] += 1
            case.decision = decisions.decide(
                province=self._provinces[case.province],
                item=case.item,
                party=case.party,
                approved=status is Status.closed_approved,
                closed_at=at,
                sequence=self._sequences[(case.province, "decision")],
                contributions=self._contributions,
            )
        if status in TERMINAL:
            self._open.get(case.province, {}).pop(case.reference, None)
        log.info("case %s -> %s", case.reference, status.value)
        for listener in self.listeners:
            listener(case)
