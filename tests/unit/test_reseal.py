"""tongban data reseal, in pages: every value sealed again once, none missed, none twice."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from gateway.privacy import Sealer
from gateway.reseal import reseal
from gateway.store.db import make_engine, make_sessions
from gateway.store.migrate import upgrade_async
from gateway.store.tables import Case, Client, Event


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
                session.add(
                    Case(
                        id=f"case-{n}",
                        client_id="c1",
                        item="x",
                        mode="online",
                        channel="api",
                        status="completed",
                        payload_sealed=old.seal({"n": n}, bound_to=f"case-{n}"),
                        key_id="k1",
                        result={"decision_number": f"W{n}"},
                    )
                )
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
            notes = await session.scalars(select(Event.note).order_by(Event.id))
            assert list(notes) == [f"第{n}条" for n in range(5)]
    finally:
        await engine.dispose()
