"""Sealed columns: sealed in the database, bound to their column and their row, clear in
Python, only with the engine's key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import String, insert, select, text, update
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from gateway.privacy import Sealer
from gateway.store.db import make_engine, make_sessions
from gateway.store.sealed import (
    MARK,
    ROW_MARK,
    Bound,
    NoDataKey,
    SealedJSON,
    SealedText,
    Unopened,
    bind_rows,
)


class Base(DeclarativeBase):
    pass


bind_rows(Base)


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[str] = mapped_column(String(10), primary_key=True)
    doc: Mapped[dict[str, Any] | None] = mapped_column(
        SealedJSON("notes.doc", owner="id"), default=None
    )
    note: Mapped[str | None] = mapped_column(SealedText("notes.note", owner="id"), default=None)


DOC = {"decision_number": "W1", "balance": "12345.67"}


@pytest.fixture
async def url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sealed.db'}"
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    await engine.dispose()
    return url


@pytest.fixture
async def engine(url: str) -> Any:
    engine = make_engine(url, Sealer(os.urandom(16), "k1"))
    yield engine
    await engine.dispose()


async def _raw(engine: AsyncEngine, column: str, row: str = "a") -> bytes:
    async with engine.connect() as conn:
        value = (
            await conn.execute(text(f"SELECT {column} FROM notes WHERE id = :id"), {"id": row})  # noqa: S608
        ).scalar_one()
    assert isinstance(value, bytes)
    return value


async def _load(engine: AsyncEngine, row: str = "a") -> Note:
    async with make_sessions(engine)() as session:
        note = await session.get(Note, row)
        assert note is not None
        return note


async def test_values_are_sealed_in_the_database_and_clear_in_python(engine: AsyncEngine) -> None:
    async with make_sessions(engine).begin() as session:
        written = Note(id="a", doc=DOC, note="张三本人要求")
        session.add(written)
    assert (written.doc, written.note) == (DOC, "张三本人要求")  # as written, after the flush
    stored_doc, stored_note = await _raw(engine, "doc"), await _raw(engine, "note")
    assert stored_doc[:1] == stored_note[:1] == ROW_MARK
    assert b"12345.67" not in stored_doc
    assert "张三".encode() not in stored_note
    loaded = await _load(engine)
    assert (loaded.doc, loaded.note) == (DOC, "张三本人要求")

    async with make_sessions(engine).begin() as session:
        changed = await session.get(Note, "a")
        assert changed is not None
        changed.doc = {**DOC, "balance": "0.00"}
    assert changed.doc == {**DOC, "balance": "0.00"}
    assert (await _load(engine)).doc == {**DOC, "balance": "0.00"}
    assert (await _load(engine)).note == "张三本人要求"  # unchanged, not rewritten


async def test_a_sealed_value_does_not_open_in_another_row(engine: AsyncEngine) -> None:
    """Copied from one case to another by someone who can write to the database, a value
    would be read through the API by the other case's owner: it does not open there."""
    async with make_sessions(engine).begin() as session:
        session.add_all([Note(id="a", doc=DOC), Note(id="b", doc={"decision_number": "W2"})])
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE notes SET doc = (SELECT doc FROM notes WHERE id = 'a') WHERE id = 'b'")
        )
    assert (await _load(engine, "a")).doc == DOC
    with pytest.raises(InvalidTag):
        await _load(engine, "b")


async def test_a_sealed_value_does_not_open_in_another_column(engine: AsyncEngine) -> None:
    async with make_sessions(engine).begin() as session:
        session.add(Note(id="a", doc={"note": "x"}))
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE notes SET note = doc"))
    with pytest.raises(InvalidTag):
        await _load(engine)


async def test_a_value_is_not_written_without_its_row(engine: AsyncEngine) -> None:
    async with make_sessions(engine).begin() as session:
        session.add(Note(id="a"))
    for statement in (
        insert(Note).values(id="b", doc=DOC),
        update(Note).where(Note.id == "a").values(note="清楚"),
    ):
        with pytest.raises(StatementError) as caught:
            async with engine.begin() as conn:
                await conn.execute(statement)
        assert isinstance(caught.value.orig, TypeError)
    async with engine.begin() as conn:  # bound by hand, a Core write works
        await conn.execute(update(Note).where(Note.id == "a").values(note=Bound("a", "可以")))
        await conn.execute(update(Note).where(Note.id == "a").values(doc=None))  # erased
    assert (await _load(engine)).note == "可以"
    # A Core read gives the value unopened, for its row's owner to open.
    async with engine.connect() as conn:
        unopened = (await conn.execute(select(Note.note))).scalar_one()
    assert isinstance(unopened, Unopened)
    assert unopened.open("a") == "可以"
    with pytest.raises(InvalidTag):
        unopened.open("b")


async def test_without_the_key_nothing_is_written_or_opened(url: str) -> None:
    keyed = make_engine(url, Sealer(os.urandom(16), "k1"))
    keyless = make_engine(url)
    other = make_engine(url, Sealer(os.urandom(16), "k2"))
    try:
        async with make_sessions(keyed).begin() as session:
            session.add(Note(id="a", doc=DOC))
        with pytest.raises(StatementError) as caught:
            async with make_sessions(keyless).begin() as session:
                session.add(Note(id="b", note="x"))
        assert isinstance(caught.value.orig, NoDataKey)
        with pytest.raises(NoDataKey, match=r"notes\.doc is sealed"):
            await _load(keyless)
        with pytest.raises(InvalidTag):  # another key opens nothing
            await _load(other)
    finally:
        for engine in (keyed, keyless, other):
            await engine.dispose()


@pytest.mark.parametrize("stored", ['{"decision_number": "W1"}', b'{"decision_number": "W1"}'])
async def test_values_stored_before_sealing_are_read_as_they_are(
    engine: AsyncEngine, stored: object
) -> None:
    # Migration 0005 kept them as their UTF-8 text (a BLOB after SQLite's copy, bytea on
    # PostgreSQL).
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO notes (id, doc, note) VALUES ('a', :doc, :note)"),
            {"doc": stored, "note": "缺少证明".encode()},
        )
    loaded = await _load(engine)
    assert (loaded.doc, loaded.note) == ({"decision_number": "W1"}, "缺少证明")


async def test_values_bound_to_their_column_alone_are_read_and_bound_when_written(
    url: str,
) -> None:
    """What was sealed before rows were bound opens as it did; written again, it is bound
    to its row."""
    sealer = Sealer(os.urandom(16), "k1")
    engine = make_engine(url, sealer)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO notes (id, doc) VALUES ('a', :doc)"),
                {"doc": MARK + sealer.seal(DOC, bound_to="notes.doc")},
            )
        assert (await _load(engine)).doc == DOC
        async with make_sessions(engine).begin() as session:
            note = await session.get(Note, "a")
            assert note is not None
            note.doc = {**note.doc, "seen": True} if note.doc else None
        assert (await _raw(engine, "doc"))[:1] == ROW_MARK
        assert (await _load(engine)).doc == {**DOC, "seen": True}
    finally:
        await engine.dispose()
