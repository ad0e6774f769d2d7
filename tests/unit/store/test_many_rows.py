"""Many rows at once (gateway/store/many_rows): on SQLite, multi-row statements storing
exactly what ``executemany`` stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, event, insert, select, text

from gateway.store import many_rows
from gateway.store.db import make_engine, make_sessions
from gateway.store.types import UTCDateTime

metadata = MetaData()
ours = Table(
    "ours",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime()),
    Column("name", String(20)),
    Column("note", String(20), nullable=True),
)
theirs = ours.to_metadata(MetaData(), name="theirs")
metadata_theirs = theirs.metadata

CST = dt.timezone(dt.timedelta(hours=8))


def _rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "at": dt.datetime(2026, 11, 28, 8, 0, i % 60, 123456, tzinfo=CST if i % 2 else dt.UTC),
            "name": f"记录{i}",
            "note": None if i % 3 else "x'); DROP TABLE ours; --",
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("variables", [12, 32_766])
async def test_rows_are_stored_as_executemany_stores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variables: int
) -> None:
    monkeypatch.setattr(many_rows, "_VARIABLES", variables)  # 2 rows a statement, or 8 + 2
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'rows.db'}")
    statements: list[bool] = []
    event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda conn, cursor, sql, params, context, many: statements.append(many),
    )
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.run_sync(metadata_theirs.create_all)
        rows = _rows(10)
        async with make_sessions(engine).begin() as session:
            await session.execute(insert(theirs), rows)
            statements.clear()
            await many_rows.insert_rows(session, ours, rows)
        assert statements == [False] * (5 if variables == 12 else 2)  # no executemany
        async with engine.connect() as conn:
            stored = (await conn.execute(text("SELECT * FROM ours ORDER BY id"))).all()
            expected = (await conn.execute(text("SELECT * FROM theirs ORDER BY id"))).all()
            read = (await conn.execute(select(ours).order_by(ours.c.id))).all()
        assert stored == expected  # the same text in the database, byte for byte
        assert [tuple(r) for r in read] == [tuple(r.values()) for r in rows]
    finally:
        await engine.dispose()


async def test_nothing_to_insert_runs_nothing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'rows.db'}")
    try:
        async with make_sessions(engine).begin() as session:
            await many_rows.insert_rows(session, ours, [])  # the table does not even exist
    finally:
        await engine.dispose()


def test_statements_come_in_a_few_sizes() -> None:
    """SQLite prepares and keeps each distinct statement: one per batch size held tens of MB."""
    for count in (1, 5, 63, 64, 65, 500, 3_000):
        sizes = many_rows._sizes(count, 11)
        assert sum(sizes) == count
        assert set(sizes) <= {64, 32, 16, 8, 4, 2, 1}
        assert len(sizes) <= count // 64 + 6
