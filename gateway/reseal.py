"""Seal every sealed value again with the current data key (``tongban data reseal``).

Rotating the data key: set the new key as ``TONGBAN_DATA_KEY`` (and a new
``TONGBAN_DATA_KEY_ID``), move the old one to ``TONGBAN_DATA_KEYS_RETIRED``, restart, run
this, then drop the retired key. Until then the retired key still opens what it sealed
(``privacy.Sealer``). Values already sealed with the current key are left as they are, so
the command can be stopped and run again; values stored in clear before migration 0005 are
sealed on the way.

Two kinds of sealed value:

- blobs the code seals itself, each bound to its row (the application to its case, a
  signing secret to its client, …), with a ``key_id`` column where the row has one;
- the sealed columns of ``store.sealed``, bound to their column and their row's owner;
  values bound to their column alone (written before) are bound to their row on the way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, LargeBinary, Table, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from gateway.privacy import Sealer
from gateway.store import sealed
from gateway.store.sealed import Bound, Sealed
from gateway.store.tables import (
    Base,
    Case,
    Client,
    Outbox,
    ProvinceRecord,
    Webhook,
    table_of,
)


@dataclass(frozen=True)
class _Blob:
    """A column the code seals, bound to ``binding`` formatted with its row's ``bound_by``."""

    model: type[Base]
    column: str
    bound_by: str
    binding: str
    key_id: bool


BLOBS = (
    _Blob(Case, "payload_sealed", "id", "{}", key_id=True),
    _Blob(Outbox, "payload_sealed", "case_id", "{}", key_id=False),
    _Blob(Client, "signing_secret_sealed", "id", "client:{}", key_id=True),
    _Blob(ProvinceRecord, "credentials_sealed", "code", "province:{}", key_id=True),
    _Blob(Webhook, "secret_sealed", "client_id", "webhook:{}", key_id=True),
)


def sealed_columns() -> list[Column[Any]]:
    """Every column of a ``store.sealed`` type, read from the tables themselves: a sealed
    column added later is resealed too, with no list here to forget."""
    return [
        column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, Sealed)
    ]


async def reseal(engine: AsyncEngine, *, batch: int = 500) -> dict[str, int]:
    """Values sealed again with ``engine``'s current key (``store.sealed.attach``), by
    ``table.column``."""
    sealer = sealed.sealer_of(engine)
    done: dict[str, int] = {}
    for blob in BLOBS:
        done[f"{blob.model.__tablename__}.{blob.column}"] = await _blobs(
            engine, sealer, blob, batch
        )
    for column in sealed_columns():
        done[f"{column.table.name}.{column.name}"] = await _column(engine, column, batch)
    return done


def _primary_key(table: Table) -> ColumnElement[Any]:
    (key,) = table.primary_key.columns
    return key


async def _pages(
    engine: AsyncEngine, table: Table, *columns: ColumnElement[Any], batch: int
) -> AsyncIterator[tuple[AsyncConnection, Sequence[Any]]]:
    """The rows holding a value in ``columns[-1]``, a batch per transaction, by primary key
    (each row's first column)."""
    key, after = _primary_key(table), None
    while True:
        async with engine.begin() as conn:
            query = select(key, *columns).where(columns[-1].is_not(None)).order_by(key)
            if after is not None:
                query = query.where(key > after)
            rows = (await conn.execute(query.limit(batch))).all()
            yield conn, rows
        if len(rows) < batch:
            return
        after = rows[-1][0]


async def _blobs(engine: AsyncEngine, sealer: Sealer, blob: _Blob, batch: int) -> int:
    table, count = table_of(blob.model), 0
    key = _primary_key(table)
    columns = (table.c[blob.bound_by], table.c[blob.column])
    async for conn, rows in _pages(engine, table, *columns, batch=batch):
        for row_key, bound_by, stored in rows:
            if not stored:
                continue  # b"": erased by retention
            bound_to = blob.binding.format(bound_by)
            document, current = sealer.opened(stored, bound_to=bound_to)
            if current:
                continue
            values: dict[str, Any] = {blob.column: sealer.seal(document, bound_to=bound_to)}
            if blob.key_id:
                values["key_id"] = sealer.key_id
            await conn.execute(update(table).where(key == row_key).values(values))
            count += 1
    return count


async def _column(engine: AsyncEngine, column: Column[Any], batch: int) -> int:
    table, count = column.table, 0
    key = _primary_key(table)
    sealed_type = column.type
    assert isinstance(sealed_type, Sealed), column
    stored_value = type_coerce(column, LargeBinary)  # as stored: not opened
    owner = table.c[sealed_type.owner]
    dialect = engine.sync_engine.dialect
    async for conn, rows in _pages(engine, table, owner, stored_value, batch=batch):
        for row_key, owned_by, stored in rows:
            held, current = sealed_type.reading(stored, dialect, str(owned_by))
            if current:
                continue
            # Written through the column's type: sealed with the current key, to its row.
            values = {column.name: Bound(str(owned_by), held)}
            await conn.execute(update(table).where(key == row_key).values(values))
            count += 1
    return count
