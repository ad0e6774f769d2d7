"""Every access to personal data leaves an audit record; tampering is detected."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import delete, select, update

from gateway import audit
from gateway.app import create_app
from gateway.store.db import make_engine, make_sessions
from gateway.store.migrate import upgrade_async
from gateway.store.tables import AuditRecord
from tests.conftest import make_settings
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


class _HeldWrites(audit.Auditor):
    """An auditor whose writes wait for ``release``: a shutdown can begin during one."""

    def __init__(self, database_url: str) -> None:
        self.engine = make_engine(database_url)
        super().__init__(make_sessions(self.engine), postgres=not database_url.startswith("sqlite"))
        self.writing = asyncio.Event()
        self.release = asyncio.Event()
        self.cancelled = False

    async def _write(self, entries: list[audit.Entry]) -> None:
        self.writing.set()
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        await super()._write(entries)


def _entries(count: int) -> list[audit.Entry]:
    return [
        audit.Entry(actor=f"client-{i}", actor_kind="client", action="query") for i in range(count)
    ]


async def test_stop_lets_a_write_in_progress_finish_then_writes_the_rest(database_url: str) -> None:
    await upgrade_async(database_url)
    auditor = _HeldWrites(database_url)
    try:
        running = asyncio.create_task(auditor.run_forever())
        for entry in _entries(3):
            auditor.record(entry)
        await asyncio.wait_for(auditor.writing.wait(), 5)
        for entry in _entries(2):  # recorded while the first batch is being written
            auditor.record(entry)
        auditor.stop()
        await asyncio.sleep(0.05)
        assert not running.done()  # it waits for the write, which nothing cancels
        auditor.release.set()
        await asyncio.wait_for(running, 10)
        assert not auditor.cancelled
    finally:
        await auditor.engine.dispose()
    records = await _records(database_url)
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert (await _verify(database_url)).ok


async def test_shutdown_does_not_cancel_an_audit_write(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's shutdown stops the auditor rather than cancelling it: a write cancelled
    half-way left SQLite's write lock to a connection nobody finished, and the last flush
    failed after the 30 s busy timeout, losing every buffered record."""
    await upgrade_async(sqlite_url)
    writing, cancelled = asyncio.Event(), []
    write = audit.Auditor._write

    async def slow_write(self: audit.Auditor, entries: list[audit.Entry]) -> None:
        writing.set()
        try:
            await asyncio.sleep(0.3)
        except asyncio.CancelledError:
            cancelled.append(len(entries))
            raise
        await write(self, entries)

    monkeypatch.setattr(audit.Auditor, "_write", slow_write)
    app = create_app(make_settings(sqlite_url, run_workers=False))
    async with app.router.lifespan_context(app):
        for entry in _entries(40):
            app.state.runtime.auditor.record(entry)
        await asyncio.wait_for(writing.wait(), 5)
    assert cancelled == []
    assert len(await _records(sqlite_url)) == 40
    assert (await _verify(sqlite_url)).ok
