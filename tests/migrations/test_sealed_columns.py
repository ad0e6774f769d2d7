"""Migration 0005: values stored in clear before it stay readable, new ones are sealed, and
a downgrade that would strand sealed values is refused."""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from sqlalchemy import select, text

from gateway.privacy import Sealer
from gateway.store.db import make_engine, make_sessions
from gateway.store.migrate import downgrade, upgrade_async
from gateway.store.sealed import ROW_MARK
from gateway.store.tables import Case, Event, Leg

RESULT = {"decision_number": "W1", "balance": "12345.67"}


async def _legacy_case(url: str) -> None:
    """A case as revision 0004 stored it: result, delivery, reason and note in clear."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO clients (id, name, kind, key_digest, scopes, enabled, created_at,"
                    " signing_required) VALUES ('c1', 't', 'app', 'd', '[]', true,"
                    " CURRENT_TIMESTAMP, false)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, item, mode, channel, status,"
                    " applicant_masked, payload_sealed, key_id, result, delivery, created_at,"
                    " updated_at) VALUES ('k1', 'c1', 'x', 'online', 'api', 'completed', '{}',"
                    " :payload, 'k1', :result, :delivery, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {
                    "payload": b"sealed",
                    "result": json.dumps(RESULT),
                    "delivery": json.dumps({"address": "广东省广州市天河区体育西路1号"}),
                },
            )
            await conn.execute(
                text(
                    "INSERT INTO legs (id, case_id, role, province, position, step, pivot,"
                    " serial, status, reason, result, updated_at) VALUES ('l1', 'k1', 'target',"
                    " '440000', 0, 0, false, 's1', 'rejected', '缺少证明', NULL,"
                    " CURRENT_TIMESTAMP)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO events (case_id, at, kind, source, note) VALUES ('k1',"
                    " CURRENT_TIMESTAMP, 'x', 'client', '张三本人要求')"
                )
            )
    finally:
        await engine.dispose()


async def test_clear_values_survive_the_upgrade_and_are_sealed_when_written(
    database_url: str,
) -> None:
    await upgrade_async(database_url, "0004")
    await _legacy_case(database_url)
    await upgrade_async(database_url)
    sealer = Sealer(os.urandom(16), "k1")
    engine = make_engine(database_url, sealer)
    try:
        async with make_sessions(engine).begin() as session:
            case = await session.get(Case, "k1")
            leg = await session.get(Leg, "l1")
            event = await session.scalar(select(Event).where(Event.case_id == "k1"))
            assert case is not None
            assert leg is not None
            assert case.result == RESULT
            assert case.delivery == {"address": "广东省广州市天河区体育西路1号"}
            assert leg.reason == "缺少证明"
            assert event is not None
            assert event.note == "张三本人要求"
            case.result = {**RESULT, "decided_on": "2024-03-05"}
        async with engine.connect() as conn:
            stored = (await conn.execute(text("SELECT result FROM cases"))).scalar_one()
            assert bytes(stored)[:1] == ROW_MARK
            assert b"12345.67" not in bytes(stored)
        with pytest.raises(RuntimeError, match=r"cases\.result holds 1 sealed"):
            await asyncio.to_thread(downgrade, database_url, "0004")
    finally:
        await engine.dispose()


async def test_a_downgrade_without_sealed_values_restores_the_columns(database_url: str) -> None:
    await upgrade_async(database_url, "0004")
    await _legacy_case(database_url)
    await upgrade_async(database_url)
    await asyncio.to_thread(downgrade, database_url, "0004")
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            result = (await conn.execute(text("SELECT result FROM cases"))).scalar_one()
            note = (await conn.execute(text("SELECT note FROM events"))).scalar_one()
    finally:
        await engine.dispose()
    # SQLite's batch copy stored the values as BLOBs (CAST), which the JSON type still reads.
    assert (result if isinstance(result, dict) else json.loads(result)) == RESULT
    assert (note.decode() if isinstance(note, bytes) else note) == "张三本人要求"
