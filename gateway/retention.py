"""Retention: closed cases lose their personal data after the configured period; old audit
records, spent nonces and expired idempotency keys go too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway import audit, idempotency
from gateway.store.tables import Case, Event, Nonce
from schemas._status import TERMINAL

PURGED = b""


@dataclass(frozen=True)
class Purged:
    cases: int
    audit_records: int
    nonces: int
    idempotency_keys: int


async def purge_personal_data(
    session: AsyncSession, before: dt.datetime, now: dt.datetime, *, limit: int = 500
) -> int:
    """Erase the sealed application, the masked applicant and the lookup digest of cases
    closed before ``before``. The case, its legs, events and result stay (no personal data
    in them), so statistics and the audit trail keep their meaning."""
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
    for case in cases:
        case.payload_sealed = PURGED
        case.applicant_masked = {}
        case.applicant_digest = None
        if case.counter:
            case.counter = {k: v for k, v in case.counter.items() if k != "staff_id"}
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
