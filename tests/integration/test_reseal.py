"""Rotating the data key: after `tongban data reseal`, the new key alone opens everything."""

from __future__ import annotations

import asyncio
import json
import os
import sys

from sqlalchemy import select

from gateway.privacy import Sealer
from gateway.reseal import BLOBS
from gateway.store.db import make_engine, make_sessions
from gateway.store.tables import Case, Client, Event, Leg
from tests.conftest import DATA_KEY, SECRET_KEY
from tests.integration.conftest import Gateway
from tests.integration.test_end_to_end import pension, unemployment

NEW_KEY = os.urandom(16)


async def _reseal(database_url: str) -> dict[str, int]:
    env = {
        **os.environ,
        "TONGBAN_ENVIRONMENT": "test",
        "TONGBAN_DATABASE_URL": database_url,
        "TONGBAN_SECRET_KEY": SECRET_KEY,
        "TONGBAN_DATA_KEY": NEW_KEY.hex(),
        "TONGBAN_DATA_KEY_ID": "k2",
        "TONGBAN_DATA_KEYS_RETIRED": json.dumps({"k1": DATA_KEY}),
        "TONGBAN_RUN_WORKERS": "false",
        "COLUMNS": "200",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gateway", "data", "reseal",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    counts: dict[str, int] = {}
    for line in out.decode().splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 2 and cells[1].isdigit():
            counts[cells[0]] = int(cells[1])
    return counts


async def test_after_a_reseal_the_new_key_alone_opens_everything(gateway: Gateway) -> None:
    # Cases that have ended: the gateway under test, still on the old key, writes no more of
    # them (a real rotation restarts every process on the new key before the reseal).
    ids = []
    for item, body in (
        ("pension-transfer-employee", pension()),
        ("unemployment-registration", unemployment("440000")),
    ):
        ids.append((await gateway.submit(item, body)).json()["id"])
    for case_id in ids:
        await gateway.wait_terminal(case_id)

    counts = await _reseal(gateway.database_url)
    assert counts["cases.payload_sealed"] >= 2
    assert counts["cases.result"] >= 2
    assert counts["events.note"] >= 2
    assert counts["clients.signing_secret_sealed"] >= 1
    assert set(counts) >= {f"{b.model.__tablename__}.{b.column}" for b in BLOBS}

    alone = Sealer(NEW_KEY, "k2")  # the retired key is gone
    engine = make_engine(gateway.database_url, alone)
    try:
        async with make_sessions(engine)() as session:
            for case in await session.scalars(select(Case).where(Case.id.in_(ids))):
                assert case.key_id == "k2"
                assert alone.open(case.payload_sealed, bound_to=case.id)["applicant"]
                assert case.result or case.status != "completed"
            # Reading opens every value: one still sealed with the retired key would raise.
            assert (await session.execute(select(Leg.reason, Leg.result))).all()
            assert any((await session.scalars(select(Event.note))).all())
            for client in await session.scalars(
                select(Client).where(Client.signing_secret_sealed.is_not(None))
            ):
                assert client.key_id == "k2"
                assert client.signing_secret_sealed is not None
                alone.open(client.signing_secret_sealed, bound_to=f"client:{client.id}")
    finally:
        await engine.dispose()
    # Everything is sealed with the new key now: a second run has nothing to do.
    assert set((await _reseal(gateway.database_url)).values()) == {0}
