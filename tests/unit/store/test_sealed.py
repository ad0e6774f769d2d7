"""Sealed columns: sealed in the database, clear in Python, only with the engine's key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import Column, Integer, LargeBinary, MetaData, Table, insert, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.privacy import Sealer
from gateway.store.db import make_engine
from gateway.store.sealed import MARK, NoDataKey, SealedJSON, SealedText

metadata = MetaData()
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("doc", SealedJSON("notes.doc")),
    Column("note", SealedText("notes.note")),
    Column("raw", LargeBinary),
)
DOC = {"decision_number": "W1", "balance": "12345.67"}


@pytest.fixture
async def url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sealed.db'}"
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()
    return url


async def _raw(engine: AsyncEngine, column: str) -> bytes:
    async with engine.connect() as conn:
        value = (await conn.execute(text(f"SELECT {column} FROM notes"))).scalar_one()  # noqa: S608
    assert isinstance(value, bytes)
    return value


async def test_values_are_sealed_in_the_database_and_clear_in_python(url: str) -> None:
    engine = make_engine(url, Sealer(os.urandom(16), "k1"))
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(notes).values(id=1, doc=DOC, note="张三本人要求"))
        stored_doc, stored_note = await _raw(engine, "doc"), await _raw(engine, "note")
        assert stored_doc[:1] == MARK
        assert b"12345.67" not in stored_doc
        assert stored_note[:1] == MARK
        assert "张三".encode() not in stored_note
        async with engine.connect() as conn:
            row = (await conn.execute(select(notes.c.doc, notes.c.note))).one()
        assert (row.doc, row.note) == (DOC, "张三本人要求")
    finally:
        await engine.dispose()


async def test_without_the_key_nothing_is_written_or_opened(url: str) -> None:
    keyed = make_engine(url, Sealer(os.urandom(16), "k1"))
    keyless = make_engine(url)
    try:
        async with keyed.begin() as conn:
            await conn.execute(insert(notes).values(id=1, doc=DOC))
        with pytest.raises(StatementError) as caught:
            async with keyless.begin() as conn:
                await conn.execute(insert(notes).values(id=2, note="x"))
        assert isinstance(caught.value.orig, NoDataKey)
        with pytest.raises(NoDataKey, match=r"notes\.doc is sealed"):
            async with keyless.connect() as conn:
                (await conn.execute(select(notes.c.doc))).all()
        other = make_engine(url, Sealer(os.urandom(16), "k2"))
        try:
            with pytest.raises(InvalidTag):  # another key opens nothing
                async with other.connect() as conn:
                    (await conn.execute(select(notes.c.doc))).all()
        finally:
            await other.dispose()
    finally:
        await keyed.dispose()
        await keyless.dispose()


async def test_a_sealed_value_does_not_open_in_another_column(url: str) -> None:
    engine = make_engine(url, Sealer(os.urandom(16), "k1"))
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(notes).values(id=1, doc={"note": "x"}))
            await conn.execute(text("UPDATE notes SET note = doc"))
        with pytest.raises(InvalidTag):
            async with engine.connect() as conn:
                (await conn.execute(select(notes.c.note))).all()
    finally:
        await engine.dispose()


@pytest.mark.parametrize("stored", ['{"decision_number": "W1"}', b'{"decision_number": "W1"}'])
async def test_values_stored_before_sealing_are_read_as_they_are(url: str, stored: object) -> None:
    # Migration 0005 kept them as their UTF-8 text (a BLOB after SQLite's copy, bytea on
    # PostgreSQL).
    engine = make_engine(url, Sealer(os.urandom(16), "k1"))
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO notes (id, doc, note) VALUES (1, :doc, :note)"),
                {"doc": stored, "note": "缺少证明".encode()},
            )
        async with engine.connect() as conn:
            row = (await conn.execute(select(notes.c.doc, notes.c.note))).one()
        assert (row.doc, row.note) == ({"decision_number": "W1"}, "缺少证明")
    finally:
        await engine.dispose()
