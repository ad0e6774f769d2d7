"""Durable delivery: outbox rows claimed by workers, sent to provinces, applied to cases.

One row is one action on one leg (``submit``, ``poll``, ``withdraw``). A worker claims due
rows with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional update
everywhere), does the provincial I/O outside any transaction, then applies the answer to the
case in one transaction under the case's row lock, writing the events and the follow-up rows
in that same transaction. A crash between I/O and apply leaves the row leased; when the
lease runs out another worker repeats the action, and the leg's serial (idempotency key)
makes the province return the case it already opened instead of a second one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.base import LegState, SubmitRequest
from adapters.errors import AdapterError, UpstreamFailure, UpstreamRejected, UpstreamUnavailable
from gateway import cases
from gateway.catalogue import Catalogue
from gateway.privacy import Sealer
from gateway.registry import Registry
from gateway.settings import Settings
from gateway.store.tables import Case, Event, Leg, Outbox
from gateway.store.types import utcnow
from schemas._status import TERMINAL, CaseStatus

log = structlog.get_logger(__name__)

SUBMIT, POLL, WITHDRAW = "submit", "poll", "withdraw"


def enqueue(session: AsyncSession, leg: Leg, action: str, due_at: dt.datetime) -> None:
    session.add(Outbox(case_id=leg.case_id, leg_id=leg.id, action=action, due_at=due_at))


@dataclass(frozen=True)
class Claimed:
    id: int
    action: str
    case_id: str
    leg_id: str
    attempts: int


@dataclass(frozen=True)
class Outcome:
    """What the provincial I/O produced: a new leg state, or an error."""

    state: LegState | None = None
    error: AdapterError | None = None
    skipped: bool = False


class Worker:
    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        registry: Registry,
        catalogue: Catalogue,
        sealer: Sealer,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.registry = registry
        self.catalogue = catalogue
        self.sealer = sealer
        self.clock = clock
        self.owner = f"w-{uuid.uuid4().hex[:12]}"
        self._case_locks: dict[str, asyncio.Lock] = {}
        self._postgres = not settings.is_sqlite

    # -- the loop -----------------------------------------------------------------------

    async def run_forever(self) -> None:
        while True:
            try:
                done = await self.run_once()
            except Exception:
                # The database may be away; the rows stay, the next round picks them up.
                log.exception("worker_round_failed")
                done = 0
            if done == 0:
                await asyncio.sleep(self.settings.worker_idle_seconds)

    async def run_once(self) -> int:
        claimed = await self.claim(self.settings.worker_concurrency)
        if claimed:
            await asyncio.gather(*(self.process(row) for row in claimed))
        return len(claimed)

    async def claim(self, limit: int) -> list[Claimed]:
        now = self.clock()
        lease = now + dt.timedelta(seconds=self.settings.lease_seconds)
        free = or_(Outbox.lease_until.is_(None), Outbox.lease_until < now)
        async with self.sessions.begin() as session:
            query = (
                select(Outbox.id)
                .where(Outbox.done.is_(False), Outbox.due_at <= now, free)
                .order_by(Outbox.due_at, Outbox.id)
                .limit(limit)
            )
            if self._postgres:
                query = query.with_for_update(skip_locked=True)
            ids = list((await session.scalars(query)).all())
            if not ids:
                return []
            await session.execute(
                update(Outbox)
                .where(Outbox.id.in_(ids), free)
                .values(lease_until=lease, lease_owner=self.owner)
            )
            rows = await session.scalars(
                select(Outbox).where(
                    Outbox.id.in_(ids),
                    Outbox.lease_owner == self.owner,
                    Outbox.lease_until == lease,
                )
            )
            return [Claimed(r.id, r.action, r.case_id, r.leg_id, r.attempts) for r in rows]

    # -- one row ------------------------------------------------------------------------

    async def process(self, row: Claimed) -> None:
        outcome = await self._perform(row)
        lock = self._case_locks.setdefault(row.case_id, asyncio.Lock())
        async with lock:
            await self._apply(row, outcome)
        if not lock.locked():
            self._case_locks.pop(row.case_id, None)

    async def _perform(self, row: Claimed) -> Outcome:
        async with self.sessions() as session:
            case = await session.get(Case, row.case_id)
            leg = await session.get(Leg, row.leg_id)
            assert case is not None
            assert leg is not None
            related = None
            if row.action == SUBMIT:
                if CaseStatus(case.status) in TERMINAL:
                    return Outcome(skipped=True)
                related = await self._related_reference(session, leg)
        adapter = self.registry.adapter(leg.province)
        if adapter is None:
            return Outcome(
                error=UpstreamUnavailable(
                    "province is not configured or disabled", province=leg.province
                )
            )
        try:
            if row.action == SUBMIT:
                data = self.sealer.open(case.payload_sealed, bound_to=case.id)
                state = await adapter.submit(
                    SubmitRequest(
                        item=case.item,
                        serial=leg.serial,
                        data=data,
                        related_reference=related,
                    )
                )
            elif row.action == POLL:
                assert leg.reference is not None
                state = await adapter.status(case.item, leg.reference)
            else:
                assert leg.reference is not None
                state = await adapter.withdraw(case.item, leg.reference)
        except AdapterError as exc:
            return Outcome(error=exc)
        return Outcome(state=state)

    async def _related_reference(self, session: AsyncSession, leg: Leg) -> str | None:
        """Later steps carry the reference of the first step's leg (e.g. the contact letter)."""
        if leg.step == 0:
            return None
        earlier = await session.scalars(
            select(Leg)
            .where(Leg.case_id == leg.case_id, Leg.step < leg.step)
            .order_by(Leg.step, Leg.position)
        )
        for other in earlier:
            if other.reference:
                return other.reference
        return None

    async def _apply(self, row: Claimed, outcome: Outcome) -> None:
        now = self.clock()
        async with self.sessions.begin() as session:
            query = select(Case).where(Case.id == row.case_id)
            if self._postgres:
                query = query.with_for_update()
            case = (await session.scalars(query)).one()
            legs = list(
                await session.scalars(
                    select(Leg).where(Leg.case_id == case.id).order_by(Leg.position)
                )
            )
            leg = next(x for x in legs if x.id == row.leg_id)
            entry = await session.get(Outbox, row.id)
            assert entry is not None
            if entry.lease_owner != self.owner or entry.done:
                return  # our lease ran out and another worker took the row
            entry.attempts += 1
            entry.lease_until = None
            entry.lease_owner = None

            if outcome.skipped:
                entry.done = True
                self._set_leg(
                    session,
                    case,
                    leg,
                    CaseStatus.cancelled.value,
                    now,
                    note="not sent: the case had already ended",
                )
            elif outcome.error is not None:
                self._failed_attempt(session, case, leg, entry, outcome.error, now)
            else:
                assert outcome.state is not None
                entry.done = True
                self._record_state(session, case, leg, outcome.state, row.action, now)
            self._advance(session, case, legs, now)

    # -- applying answers ---------------------------------------------------------------

    def _record_state(
        self,
        session: AsyncSession,
        case: Case,
        leg: Leg,
        state: LegState,
        action: str,
        now: dt.datetime,
    ) -> None:
        if action == SUBMIT:
            leg.reference = state.reference
            leg.submitted_at = now
            session.add(
                Event(
                    case_id=case.id,
                    leg_id=leg.id,
                    at=now,
                    kind="delivered",
                    status=state.status.value,
                    source="gateway",
                    province=leg.province,
                    provincial_code=state.provincial_code,
                    note=f"provincial reference {state.reference}",
                )
            )
        leg.provincial_code = state.provincial_code
        leg.provincial_description = state.description[:100] or None
        leg.reason = state.reason
        if state.result is not None:
            leg.result = state.result
        if state.status.value != leg.status:
            self._set_leg(
                session,
                case,
                leg,
                state.status.value,
                now,
                code=state.provincial_code,
                note=state.description or None,
            )
        if not cases.is_final_leg(leg.status):
            enqueue(session, leg, POLL, now + dt.timedelta(seconds=self.settings.leg_poll_seconds))

    def _failed_attempt(
        self,
        session: AsyncSession,
        case: Case,
        leg: Leg,
        entry: Outbox,
        error: AdapterError,
        now: dt.datetime,
    ) -> None:
        entry.last_error = f"{type(error).__name__}: {error.message}"[:500]
        retryable = isinstance(error, UpstreamFailure)
        if retryable and entry.attempts < self.settings.max_delivery_attempts:
            entry.due_at = now + dt.timedelta(seconds=self._backoff(entry.attempts))
            if entry.attempts == 1:
                session.add(
                    Event(
                        case_id=case.id,
                        leg_id=leg.id,
                        at=now,
                        kind="retrying",
                        source="gateway",
                        province=leg.province,
                        provincial_code=error.code,
                        note=entry.last_error,
                    )
                )
            log.warning(
                "delivery_retry",
                case=case.id,
                province=leg.province,
                action=entry.action,
                attempts=entry.attempts,
                error=entry.last_error,
            )
            return
        entry.done = True
        if entry.action == POLL and not isinstance(error, UpstreamFailure):
            final = CaseStatus.failed
        elif entry.action == SUBMIT and isinstance(error, UpstreamRejected):
            final = CaseStatus.rejected
        elif entry.action == WITHDRAW:
            # A withdrawal that cannot be made leaves the leg as the province has it.
            session.add(
                Event(
                    case_id=case.id,
                    leg_id=leg.id,
                    at=now,
                    kind="withdraw_failed",
                    source="gateway",
                    province=leg.province,
                    provincial_code=error.code,
                    note=entry.last_error,
                )
            )
            return
        else:
            final = CaseStatus.failed
        self._set_leg(session, case, leg, final.value, now, code=error.code, note=entry.last_error)
        log.error(
            "delivery_gave_up",
            case=case.id,
            province=leg.province,
            action=entry.action,
            attempts=entry.attempts,
            error=entry.last_error,
        )

    def _backoff(self, attempts: int) -> float:
        ceiling = min(
            self.settings.retry_max_seconds, self.settings.retry_base_seconds * 2 ** (attempts - 1)
        )
        return float(ceiling * random.uniform(0.5, 1.0))

    def _set_leg(
        self,
        session: AsyncSession,
        case: Case,
        leg: Leg,
        status: str,
        now: dt.datetime,
        *,
        code: str | None = None,
        note: str | None = None,
    ) -> None:
        leg.status = status
        leg.updated_at = now
        session.add(
            Event(
                case_id=case.id,
                leg_id=leg.id,
                at=now,
                kind="leg_status",
                status=status,
                source="province" if code else "gateway",
                province=leg.province,
                provincial_code=code,
                note=note,
            )
        )

    def _advance(
        self, session: AsyncSession, case: Case, legs: list[Leg], now: dt.datetime
    ) -> None:
        """Derive the case status and queue what the saga needs next."""
        views = [cases.LegView(x.status, x.step, x.pivot) for x in legs]
        previous = CaseStatus(case.status)
        status = cases.derive(previous, views)
        for i in cases.ready_to_submit(views) if status not in TERMINAL else []:
            legs[i].status = CaseStatus.submitted.value
            legs[i].updated_at = now
            enqueue(session, legs[i], SUBMIT, now)
        for i in cases.to_compensate(status, views):
            enqueue(session, legs[i], WITHDRAW, now)
            session.add(
                Event(
                    case_id=case.id,
                    leg_id=legs[i].id,
                    at=now,
                    kind="compensating",
                    source="gateway",
                    province=legs[i].province,
                    note="withdrawing: another province refused before the pivot",
                )
            )
        for i in cases.to_drop(status, views):
            self._set_leg(
                session,
                case,
                legs[i],
                CaseStatus.cancelled.value,
                now,
                note="not sent: the case had already ended",
            )
        if status is CaseStatus.completed and case.result is None:
            case.result = self._assemble_result(case, legs)
        if status != previous:
            case.status = status.value
            session.add(
                Event(
                    case_id=case.id,
                    at=now,
                    kind="case_status",
                    status=status.value,
                    source="gateway",
                )
            )
        case.updated_at = now

    def _assemble_result(self, case: Case, legs: list[Leg]) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for leg in sorted(legs, key=lambda x: (x.step, x.position)):
            merged.update(leg.result or {})
        item = self.catalogue.get(case.item)
        if item is None:
            return merged
        try:
            model = item.result_model.model_validate(merged)
        except ValueError:
            log.warning("result_not_conforming", case=case.id, item=case.item)
            return merged
        dumped: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
        return dumped
