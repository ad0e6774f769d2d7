"""tongban data reseal, in pages: every value sealed again once, none missed, none twice."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select, text

from gateway.privacy import Sealer
from gateway.reseal import reseal
from gateway.store.db import make_engine, make_sessions
from gateway.store.migrate import upgrade_async
from gateway.store.sealed import MARK, ROW_MARK
from gateway.store.tables import Case, Client, Event


def _case(n: int, sealer: Sealer, **fields: Any) -> Case:
    return Case(
        id=f"case-{n}",
        client_id="c1",
        item="x",
        mode="online",
        channel="api",
        status="completed",
        payload_sealed=sealer.seal({"n": n}, bound_to=f"case-{n}"),
        key_id=sealer.key_id,
        **fields,
    )


async def test_values_are_sealed_again_page_by_page(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'reseal.db'}"
    await upgrade_async(url)
    old_key, new_key = os.urandom(16), os.urandom(16)
    old = Sealer(old_key, "k1")
    engine = make_engine(url, old)
    try:
        async with make_sessions(engine).begin() as session:
            session.add(Client(id="c1", name="t", kind="app", key_digest="d"))
            await session.flush()
            for n in range(5):
                session.add(_case(n, old, result={"decision_number": f"W{n}"}))
                await session.flush()
                session.add(Event(case_id=f"case-{n}", kind="x", source="client", note=f"第{n}条"))
    finally:
        await engine.dispose()

    rotated = Sealer(new_key, "k2", retired={"k1": old_key})
    engine = make_engine(url, rotated)
    try:
        done = await reseal(engine, batch=2)
        assert done["cases.payload_sealed"] == done["cases.result"] == done["events.note"] == 5
        assert (await reseal(engine, batch=2))["cases.result"] == 0
    finally:
        await engine.dispose()

    alone = Sealer(new_key, "k2")
    engine = make_engine(url, alone)
    try:
        async with make_sessions(engine)() as session:
            cases = list(await session.scalars(select(Case).order_by(Case.id)))
            assert [c.result for c in cases] == [{"decision_number": f"W{n}"} for n in range(5)]
            assert [alone.open(c.payload_sealed, bound_to=c.id) for c in cases] == [
                {"n": n} for n in range(5)
            ]
            assert {c.key_id for c in cases} == {"k2"}
            events = await session.scalars(select(Event).order_by(Event.id))
            assert [e.note for e in events] == [f"第{n}条" for n in range(5)]
    finally:
        await engine.dispose()


async def test_values_bound_to_their_column_alone_are_bound_to_their_row(tmp_path: Path) -> None:
    """Sealed before rows were bound (``MARK``): resealed with the same key, bound to the row,
    and copied to another row they no longer open there."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'rebind.db'}"
    await upgrade_async(url)
    sealer = Sealer(os.urandom(16), "k1")
    engine = make_engine(url, sealer)
    try:
        async with make_sessions(engine).begin() as session:
            session.add(Client(id="c1", name="t", kind="app", key_digest="d"))
            await session.flush()
            session.add_all([_case(n, sealer) for n in range(2)])
        async with engine.begin() as conn:
            for n in range(2):
                column_bound = MARK + sealer.seal(
                    {"decision_number": f"W{n}"}, bound_to="cases.result"
                )
                await conn.execute(
                    text("UPDATE cases SET result = :r WHERE id = :id"),
                    {"r": column_bound, "id": f"case-{n}"},
                )
        done = await reseal(engine)
        assert done["cases.result"] == 2
        assert done["cases.payload_sealed"] == 0  # already sealed with this key
        assert (await reseal(engine))["cases.result"] == 0
        async with engine.begin() as conn:
            stored = (await conn.execute(text("SELECT result FROM cases"))).scalars().all()
            assert {s[:1] for s in stored} == {ROW_MARK}
            await conn.execute(
                text("UPDATE cases SET result = :r WHERE id = 'case-1'"), {"r": stored[0]}
            )
        async with make_sessions(engine)() as session:
            first = await session.get(Case, "case-0")
            assert first is not None
            assert first.result == {"decision_number": "W0"}
            with pytest.raises(InvalidTag):
                await session.get(Case, "case-1")
    finally:
        await engine.dispose()
