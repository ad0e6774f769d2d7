"""Durable delivery: outbox rows claimed by workers, sent to provinces, applied to cases.

One row is one action on one leg (``submit``, ``poll``, ``withdraw``). A worker claims due
rows with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional update
everywhere), does the provincial I/O outside any transaction, then applies the answer to the
case in one transaction under the case's row lock (``gateway.transitions``), writing the
events and the follow-up rows in that same transaction. A crash between I/O and apply leaves
the row leased; when the lease runs out another worker repeats the action, and the leg's
serial (idempotency key) makes the province return the case it already opened.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.base import LegState, SubmitRequest
from adapters.errors import (
    AdapterError,
    CircuitOpen,
    ProvinceOverloaded,
    UpstreamFailure,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from gateway.privacy import Sealer
from gateway.registry import Registry
from gateway.rounds import run_rounds
from gateway.settings import Settings
from gateway.store.tables import Case, Leg, Outbox
from gateway.store.types import utcnow
from gateway.transitions import (
    POLL,
    SUBMIT,
    SUPPLEMENT,
    WITHDRAW,
    CaseApplier,
    enqueue,
    event,
)
from schemas._status import TERMINAL, CaseStatus

log = structlog.get_logger(__name__)

__all__ = ["POLL", "SUBMIT", "SUPPLEMENT", "WITHDRAW", "Worker", "enqueue"]


@dataclass(frozen=True)
class Claimed:
    id: int
    action: str
    case_id: str
    leg_id: str


@dataclass(frozen=True)
class Outcome:
    """What the provincial I/O produced: a new leg state, an error, or nothing to do."""

    state: LegState | None = None
    error: AdapterError | None = None
    skipped: bool = False


class Worker:
    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        registry: Registry,
        applier: CaseApplier,
        sealer: Sealer,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.registry = registry
        self.applier = applier
        self.sealer = sealer
        self.clock = clock
        self.owner = f"w-{uuid.uuid4().hex[:12]}"
        self._postgres = not settings.is_sqlite
        self._case_locks: dict[str, asyncio.Lock] = {}

    # -- the loop -----------------------------------------------------------------------

    async def run_forever(self, stop: asyncio.Event) -> None:
        await run_rounds(
            "worker_round_failed", self.run_once, self.settings.worker_idle_seconds, stop
        )

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
            return [Claimed(r.id, r.action, r.case_id, r.leg_id) for r in rows]

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
            entry = await session.get(Outbox, row.id)
            assert case is not None
            assert leg is not None
            assert entry is not None
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
            elif row.action == SUPPLEMENT:
                assert leg.reference is not None
                assert entry.payload_sealed is not None
                changes = self.sealer.open(entry.payload_sealed, bound_to=case.id)
                state = await adapter.supplement(case.item, leg.reference, changes)
            else:
                assert leg.reference is not None
                state = await adapter.withdraw(case.item, leg.reference)
        except AdapterError as exc:
            return Outcome(error=exc)
        return Outcome(state=state)

    async def _related_reference(self, session: AsyncSession, leg: Leg) -> str | None:
        """Later steps carry the reference of an earlier step's leg (e.g. the contact letter)."""
        if leg.step == 0:
            return None
        earlier = await session.scalars(
            select(Leg.reference)
            .where(Leg.case_id == leg.case_id, Leg.step < leg.step, Leg.reference.is_not(None))
            .order_by(Leg.step, Leg.position)
        )
        return earlier.first()

    async def _apply(self, row: Claimed, outcome: Outcome) -> None:
        now = self.clock()
        async with self.applier.locked(row.case_id) as (session, case, legs):
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
                self.applier.set_leg(
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
                self.applier.record_state(
                    session,
                    case,
                    leg,
                    outcome.state,
                    now,
                    delivered=row.action == SUBMIT,
                    poll_again=row.action in (SUBMIT, POLL),
                )
            await self.applier.advance(session, case, legs, now)

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
        if isinstance(error, CircuitOpen | ProvinceOverloaded):
            # Never sent: no attempt used, and no sooner than the gateway said it may go.
            entry.attempts -= 1
            wait = max(self._backoff(max(1, entry.attempts)), error.retry_after or 0.0)
            entry.due_at = now + dt.timedelta(seconds=wait)
            return
        if entry.action == SUPPLEMENT and isinstance(error, UpstreamTimeout):
            # It may have arrived: a correction carries no key the province could dedupe by,
            # so it is not sent twice. The leg's polling says whether the province has it.
            entry.done = True
            event(session, case, "supplement_unconfirmed", now, leg=leg, note=entry.last_error)
            return
        if isinstance(error, UpstreamFailure) and (
            entry.attempts < self.settings.max_delivery_attempts
        ):
            entry.due_at = now + dt.timedelta(seconds=self._backoff(entry.attempts))
            if entry.attempts == 1:
                event(
                    session, case, "retrying", now, leg=leg, code=error.code, note=entry.last_error
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
        if entry.action in (WITHDRAW, SUPPLEMENT):
            # A withdrawal or correction the province refuses leaves the leg as the province
            # has it (polling keeps telling us); it is recorded, not fatal.
            event(
                session,
                case,
                f"{entry.action}_failed",
                now,
                leg=leg,
                code=error.code,
                note=entry.last_error,
            )
            return
        final = (
            CaseStatus.rejected
            if entry.action == SUBMIT and isinstance(error, UpstreamRejected)
            else CaseStatus.failed
        )
        self.applier.set_leg(
            session, case, leg, final.value, now, code=error.code, note=entry.last_error
        )
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
