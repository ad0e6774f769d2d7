"""Many rows into one table at once, in few statements on SQLite.

``session.execute(insert(table), rows)`` is an ``executemany``: on SQLite, Python's
``sqlite3`` binds each row with the GIL held and steps it with the GIL released, so every
row waits to take the GIL back from the event loop's thread (aiosqlite runs the driver in a
thread of its own). While the loop is busy, each wait is up to the interpreter's switch
interval (5 ms). Here the rows go as multi-row ``INSERT … VALUES (…), (…)`` statements of
at most 64 rows: a few GIL hand-offs per statement instead of one per row. An audit flush of
500 records with the loop busy (four tasks taking 2 ms steps): 2.1-2.3 s → 1.1-1.2 s; the
rest is the flush's other round trips through the loop. Each value still goes through its
column's bind processor, as SQLAlchemy would send it. Other databases keep ``executemany``
(asyncpg pipelines it on the loop).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

# SQLite's default limit on a statement's variables: 999 before 3.32, 32,766 since.
_VARIABLES = 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999


async def insert_rows(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert ``rows`` (each naming every column of ``table``) in ``session``'s transaction."""
    if not rows:
        return
    connection = await session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        await session.execute(insert(table), rows)
        return
    columns, processors = _processors(table, dialect)
    start = 0
    for size in _sizes(len(rows), len(columns)):
        values: list[Any] = []
        for row in rows[start : start + size]:
            for name, process in zip(columns, processors, strict=True):
                value = row[name]
                values.append(process(value) if process is not None else value)
        await connection.exec_driver_sql(_statement(table, dialect, size), tuple(values))
        start += size


def _sizes(count: int, columns: int) -> list[int]:
    """Rows per statement for ``count`` rows: as many of the largest as fit, then the rest in
    halving sizes (a flush of 500: 7 × 64, 32, 16, 4). Statements of a few fixed sizes only:
    SQLite prepares and caches each distinct text, and one per batch size (up to thousands
    of rows each) held tens of MB."""
    largest = 1 << min(6, (_VARIABLES // columns).bit_length() - 1)
    sizes = [largest] * (count // largest)
    rest, size = count % largest, largest
    while rest:
        size //= 2
        if rest >= size:
            sizes.append(size)
            rest -= size
    return sizes


@functools.lru_cache(maxsize=64)
def _statement(table: Table, dialect: Dialect, rows: int) -> str:
    """``INSERT INTO t (a, b) VALUES (?, ?), (?, ?)…``: names from the table's definition,
    quoted by the dialect; values only as parameters."""
    quote = dialect.identifier_preparer
    names = ", ".join(quote.quote(column.name) for column in table.columns)
    one = "(" + ", ".join("?" * len(table.columns)) + ")"
    return f"INSERT INTO {quote.format_table(table)} ({names}) VALUES " + ", ".join([one] * rows)  # noqa: S608


@functools.lru_cache(maxsize=32)
def _processors(
    table: Table, dialect: Dialect
) -> tuple[tuple[str, ...], tuple[Callable[[Any], Any] | None, ...]]:
    """The table's column names, and each column's bind processor in this dialect (None:
    the value goes as it is)."""
    columns = tuple(column.name for column in table.columns)
    processors = tuple(
        column.type.dialect_impl(dialect).bind_processor(dialect) for column in table.columns
    )
    return columns, processors
