"""Every access to personal data leaves an audit record; tampering is detected."""

from __future__ import annotations

import asyncio

from sqlalchemy import delete, select, update

from gateway import audit
from gateway.store.db import make_engine, make_sessions
from gateway.store.tables import AuditRecord
from tests.integration.conftest import Gateway
from tests.integration.test_end_to_end import unemployment


async def _records(database_url: str) -> list[AuditRecord]:
    engine = make_engine(database_url)
    try:
        async with make_sessions(engine)() as session:
            return list(await session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
    finally:
        await engine.dispose()


async def _verify(database_url: str) -> audit.Verification:
    engine = make_engine(database_url)
    try:
        async with make_sessions(engine)() as session:
            return await audit.verify(session)
    finally:
        await engine.dispose()


async def _wait_for(database_url: str, actions: set[str], count: int = 0) -> list[AuditRecord]:
    for _ in range(100):
        records = await _records(database_url)
        if actions <= {r.action for r in records} and len(records) >= count:
            return records
        await asyncio.sleep(0.05)
    raise AssertionError(f"missing audit actions {actions - {r.action for r in records}}")


async def test_accesses_are_recorded_and_chained(gateway: Gateway) -> None:
    response = await gateway.submit("unemployment-registration", unemployment("440000"))
    case_id = response.json()["id"]
    await gateway.case(case_id)
    await gateway.http.post(
        "/admin/v1/provinces/440000/check", headers=gateway.auth(gateway.admin_key)
    )
    records = await _wait_for(gateway.database_url, {"submit", "read_case", "province_check"})
    submit = next(r for r in records if r.action == "submit")
    assert submit.case_id == case_id
    assert submit.item == "unemployment-registration"
    assert (await _verify(gateway.database_url)).ok


async def test_tampering_is_detected(gateway: Gateway) -> None:
    for _ in range(3):
        response = await gateway.submit("unemployment-registration", unemployment("440000"))
        await gateway.case(response.json()["id"])
    records = await _wait_for(gateway.database_url, {"submit", "read_case"}, count=6)
    engine = make_engine(gateway.database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                update(AuditRecord).where(AuditRecord.seq == 3).values(actor="someone-else")
            )
        modified = await _verify(gateway.database_url)
        assert not modified.ok
        assert modified.first_bad_seq == 3
        async with engine.begin() as conn:  # undo, then delete one in the middle
            await conn.execute(
                update(AuditRecord).where(AuditRecord.seq == 3).values(actor=records[2].actor)
            )
        assert (await _verify(gateway.database_url)).ok
        async with engine.begin() as conn:
            await conn.execute(delete(AuditRecord).where(AuditRecord.seq == 2))
        deleted = await _verify(gateway.database_url)
        assert not deleted.ok
        assert deleted.reason == "a record is missing"
    finally:
        await engine.dispose()
