"""No plain resident ID number in any log line or stored plain column after a full run."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select, text
from stdnum.cn import ric

from gateway.retention import purge_personal_data
from gateway.store.db import make_engine, make_sessions
from gateway.store.sealed import ROW_MARK
from gateway.store.tables import Base, Case, Event, Leg, Outbox
from gateway.store.types import utcnow
from tests.integration.conftest import Gateway, sealed_engine
from tests.integration.test_case_actions import COUNTER
from tests.integration.test_end_to_end import APPLICANT, pension, unemployment

ID_SHAPED = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def valid_ids(text: str) -> set[str]:
    return {m for m in ID_SHAPED.findall(text) if ric.is_valid(m)}


async def test_no_resident_id_in_logs_or_plain_columns(
    gateway: Gateway, capfd: pytest.CaptureFixture[str]
) -> None:
    # A bit of everything: online, joint, counter, query, a refused request, a read.
    ids = []
    for body, item in (
        (unemployment("440000"), "unemployment-registration"),
        (pension(), "pension-transfer-employee"),
    ):
        response = await gateway.submit(item, body)
        ids.append(response.json()["id"])
    counter = await gateway.counter.post(
        "/v1/items/unemployment-registration/applications",
        json={**unemployment("510000"), "mode": "counter", "counter": COUNTER},
    )
    ids.append(counter.json()["id"])
    await gateway.http.post(
        "/v1/items/social-insurance-contributions/queries",
        headers=gateway.auth(),
        json={
            "person": {"name": "张三", "id_number": APPLICANT["id_number"]},
            "provinces": ["440000", "510000"],
        },
    )
    bad = unemployment("440000")
    bad["data"]["applicant"]["id_number"] = "110105194912310021"  # wrong check digit
    await gateway.submit("unemployment-registration", bad)
    for case_id in ids[:2]:
        await gateway.wait_terminal(case_id)

    logs = capfd.readouterr()
    assert valid_ids(logs.out + logs.err) == set()

    engine = make_engine(gateway.database_url)
    found: dict[str, set[str]] = {}
    try:
        async with engine.connect() as conn:
            # What is at rest: the columns' stored values, not what the sealed types open.
            for table in Base.metadata.sorted_tables:
                stored = text(f"SELECT * FROM {table.name}")  # noqa: S608 - the models' names
                for row in (await conn.execute(stored)).mappings():
                    for column, value in row.items():
                        if isinstance(value, bytes):
                            hits = {i for i in (APPLICANT["id_number"],) if i.encode() in value}
                        else:
                            plain = (
                                value
                                if isinstance(value, str)
                                else json.dumps(value, ensure_ascii=False, default=str)
                            )
                            hits = valid_ids(plain)
                        if hits:
                            found.setdefault(f"{table.name}.{column}", set()).update(hits)
            results = (await conn.execute(text("SELECT result FROM cases"))).scalars().all()
    finally:
        await engine.dispose()
    assert found == {}
    # The decisions of the cases that completed are there, sealed.
    decided = [bytes(r) for r in results if r is not None]
    assert len(decided) >= 2
    assert {d[:1] for d in decided} == {ROW_MARK}


async def test_retention_leaves_no_personal_data_in_a_closed_case(gateway: Gateway) -> None:
    # Results (a decision names the applicant; a transfer carries balances), reasons, notes
    # and last errors stayed after the purge, which promised no personal data left.
    response = await gateway.submit("pension-transfer-employee", pension())
    case_id = response.json()["id"]
    await gateway.wait_terminal(case_id)
    name = APPLICANT["name"]
    engine = sealed_engine(gateway.database_url)
    try:
        async with make_sessions(engine).begin() as session:
            case = await session.get(Case, case_id)
            assert case is not None
            session.add(
                Event(
                    case_id=case_id, at=utcnow(), kind="x", source="client", note=f"{name}本人要求"
                )
            )
        async with make_sessions(engine).begin() as session:
            later = utcnow() + dt.timedelta(days=1)
            assert await purge_personal_data(session, later, later) >= 1
        async with engine.connect() as conn:
            case_row = (await conn.execute(select(Case).where(Case.id == case_id))).one()
            assert case_row.payload_sealed == b""
            assert case_row.result is None
            for table in (Leg, Event, Outbox):
                rows = (await conn.execute(select(table).where(table.case_id == case_id))).all()
                assert rows, table
                text = json.dumps([dict(r._mapping) for r in rows], ensure_ascii=False, default=str)
                assert name not in text, table.__tablename__
                assert "balance" not in text, table.__tablename__
    finally:
        await engine.dispose()
