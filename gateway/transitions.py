"""Applying what provinces and clients say to a case, in one transaction under its row lock.

The pure rules live in ``gateway.cases``; this module turns their verdicts into rows: leg and
case updates, timeline events, and the outbox rows for what comes next. Workers (answers to
submit/poll/withdraw), provincial callbacks and client actions all come through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.base import LegState
from gateway import cases
from gateway.catalogue import Catalogue
from gateway.store.tables import Case, Event, Leg, Outbox
from schemas._status import TERMINAL, CaseStatus

log = structlog.get_logger(__name__)

SUBMIT, POLL, WITHDRAW, SUPPLEMENT = "submit", "poll", "withdraw", "supplement"

StatusListener = Callable[[AsyncSession, Case, CaseStatus, dt.datetime], Awaitable[None]]


def enqueue(
    session: AsyncSession,
    leg: Leg,
    action: str,
    due_at: dt.datetime,
    payload_sealed: bytes | None = None,
) -> None:
    session.add(
        Outbox(
            case_id=leg.case_id,
            leg_id=leg.id,
            action=action,
            due_at=due_at,
            payload_sealed=payload_sealed,
        )
    )


def event(
    session: AsyncSession,
    case: Case,
    kind: str,
    now: dt.datetime,
    *,
    leg: Leg | None = None,
    status: str | None = None,
    source: str = "gateway",
    code: str | None = None,
    note: str | None = None,
) -> None:
    session.add(
        Event(
            case_id=case.id,
            leg_id=leg.id if leg else None,
            at=now,
            kind=kind,
            status=status,
            source=source,
            province=leg.province if leg else None,
            provincial_code=code,
            note=note,
        )
    )


class CaseApplier:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalogue: Catalogue,
        *,
        postgres: bool,
        poll_seconds: float,
    ) -> None:
        self.sessions = sessions
        self.catalogue = catalogue
        self.postgres = postgres
        self.poll_seconds = poll_seconds
        self.listeners: list[StatusListener] = []

    @asynccontextmanager
    async def locked(self, case_id: str) -> AsyncIterator[tuple[AsyncSession, Case, list[Leg]]]:
        """A transaction holding the case row (FOR UPDATE on PostgreSQL) and its legs."""
        async with self.sessions.begin() as session:
            query = select(Case).where(Case.id == case_id)
            if self.postgres:
                query = query.with_for_update()
            case = (await session.scalars(query)).one()
            legs = list(
                await session.scalars(
                    select(Leg).where(Leg.case_id == case_id).order_by(Leg.position)
                )
            )
            yield session, case, legs

    # -- answers from provinces ---------------------------------------------------------

    def record_state(
        self,
        session: AsyncSession,
        case: Case,
        leg: Leg,
        state: LegState,
        now: dt.datetime,
        *,
        delivered: bool,
        poll_again: bool,
        source: str = "province",
    ) -> None:
        if delivered:
            leg.reference = state.reference
            leg.submitted_at = now
            event(
                session,
                case,
                "delivered",
                now,
                leg=leg,
                status=state.status.value,
                code=state.provincial_code,
                note=f"provincial reference {state.reference}",
            )
        leg.provincial_code = state.provincial_code
        leg.provincial_description = state.description[:100] or None
        leg.reason = state.reason
        if state.result is not None:
            leg.result = state.result
        if state.status.value != leg.status and not cases.is_final_leg(leg.status):
            self.set_leg(
                session,
                case,
                leg,
                state.status.value,
                now,
                code=state.provincial_code,
                note=state.description or None,
                source=source,
            )
        if poll_again and not cases.is_final_leg(leg.status):
            enqueue(session, leg, POLL, now + dt.timedelta(seconds=self.poll_seconds))

    def set_leg(
        self,
        session: AsyncSession,
        case: Case,
        leg: Leg,
        status: str,
        now: dt.datetime,
        *,
        code: str | None = None,
        note: str | None = None,
        source: str | None = None,
    ) -> None:
        leg.status = status
        leg.updated_at = now
        event(
            session,
            case,
            "leg_status",
            now,
            leg=leg,
            status=status,
            code=code,
            note=note,
            source=source or ("province" if code else "gateway"),
        )

    # -- the saga -----------------------------------------------------------------------

    async def advance(
        self, session: AsyncSession, case: Case, legs: list[Leg], now: dt.datetime
    ) -> CaseStatus:
        """Derive the case status and queue what the saga needs next; returns the status."""
        views = [cases.LegView(x.status, x.step, x.pivot) for x in legs]
        previous = CaseStatus(case.status)
        status = cases.derive(previous, views)
        for i in cases.ready_to_submit(views) if status not in TERMINAL else []:
            legs[i].status = CaseStatus.submitted.value
            legs[i].updated_at = now
            enqueue(session, legs[i], SUBMIT, now)
        for i in cases.to_compensate(status, views):
            enqueue(session, legs[i], WITHDRAW, now)
            event(
                session,
                case,
                "compensating",
                now,
                leg=legs[i],
                note="withdrawing: the case ended before its pivot",
            )
        for i in cases.to_drop(status, views):
            self.set_leg(
                session,
                case,
                legs[i],
                CaseStatus.cancelled.value,
                now,
                note="not sent: the case had already ended",
            )
        if status is CaseStatus.completed and case.result is None:
            case.result = self.assemble_result(case, legs)
        if status is CaseStatus.completed and case.delivery is not None:
            # A paper result still has to reach the applicant: decided, not yet completed.
            if case.delivery.get("status") == "not-ready":
                case.delivery = {**case.delivery, "status": "ready"}
            status = CaseStatus.approved
        if status != previous:
            case.status = status.value
            event(session, case, "case_status", now, status=status.value)
            await self.status_changed(session, case, previous, now)
        case.updated_at = now
        return status

    async def status_changed(
        self, session: AsyncSession, case: Case, previous: CaseStatus, now: dt.datetime
    ) -> None:
        """Hook for everything that follows a case status change (client webhooks)."""
        for listener in self.listeners:
            await listener(session, case, previous, now)

    def assemble_result(self, case: Case, legs: list[Leg]) -> dict[str, Any]:
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

    # -- callbacks ----------------------------------------------------------------------

    async def apply_report(self, province: str, state: LegState, now: dt.datetime) -> bool:
        """A province's own report (callback) about one of its cases; False if unknown."""
        async with self.sessions() as session:
            found = await session.execute(
                select(Leg.case_id, Leg.id).where(
                    Leg.province == province, Leg.reference == state.reference
                )
            )
            row = found.first()
        if row is None:
            return False
        case_id, leg_id = row
        async with self.locked(case_id) as (session, case, legs):
            leg = next(x for x in legs if x.id == leg_id)
            # The poll chain keeps running beside callbacks: it is the safety net.
            self.record_state(
                session,
                case,
                leg,
                state,
                now,
                delivered=False,
                poll_again=False,
                source="province-callback",
            )
            await self.advance(session, case, legs, now)
        return True
