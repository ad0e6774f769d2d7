"""Retention: closed cases lose their personal data after the configured period; old audit
records, spent nonces and expired idempotency keys go too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway import audit, idempotency
from gateway.store.tables import Case, Event, Leg, Nonce, Outbox
from schemas._status import TERMINAL

PURGED = b""
# Where and how a counter case was received: no person in it.
_COUNTER_KEPT = frozenset({"receiving_province", "service_point", "received_at"})


@dataclass(frozen=True)
class Purged:
    cases: int
    audit_records: int
    nonces: int
    idempotency_keys: int


async def purge_personal_data(
    session: AsyncSession, before: dt.datetime, now: dt.datetime, *, limit: int = 500
) -> int:
    """Erase the personal data of cases closed before ``before``: the sealed application,
    the masked applicant, the lookup digest, the results (a decision names the applicant; a
    pension transfer carries account balances), the legs' reasons, every free-text note
    (cancellation reasons, correction notes), the counter block's staff and material numbers
    and the outbox's last errors. The case, its legs, statuses and events stay, so
    statistics and the audit trail keep their meaning."""
    cases = list(
        await session.scalars(
            select(Case)
            .where(
                Case.status.in_([s.value for s in TERMINAL]),
                Case.updated_at < before,
                Case.payload_sealed != PURGED,
            )
            .limit(limit)
        )
    )
    ids = [case.id for case in cases]
    if ids:
        await session.execute(
            update(Leg).where(Leg.case_id.in_(ids)).values(result=None, reason=None)
        )
        await session.execute(update(Event).where(Event.case_id.in_(ids)).values(note=None))
        await session.execute(update(Outbox).where(Outbox.case_id.in_(ids)).values(last_error=None))
    for case in cases:
        case.payload_sealed = PURGED
        case.applicant_masked = {}
        case.applicant_digest = None
        case.result = None
        if case.counter:
            case.counter = {k: v for k, v in case.counter.items() if k in _COUNTER_KEPT}
        session.add(
            Event(
                case_id=case.id,
                at=now,
                kind="personal_data_purged",
                source="gateway",
                note="retention period over",
            )
        )
    return len(cases)


async def run(
    session: AsyncSession, *, now: dt.datetime, personal_days: int, audit_days: int
) -> Purged:
    cases = await purge_personal_data(session, now - dt.timedelta(days=personal_days), now)
    records = await audit.purge(session, now - dt.timedelta(days=audit_days))
    nonces = await session.execute(delete(Nonce).where(Nonce.expires_at < now))
    keys = await idempotency.purge(session, now)
    return Purged(cases, records, int(getattr(nonces, "rowcount", 0) or 0), keys)
