"""Many rows into one table at once, in few statements on SQLite.

``session.execute(insert(table), rows)`` is an ``executemany``: on SQLite, Python's
``sqlite3`` binds each row with the GIL held and steps it with the GIL released, so every
row waits to take the GIL back from the event loop's thread (aiosqlite runs the driver in a
thread of its own). While the loop is busy, each wait is up to the interpreter's switch
interval (5 ms): under 1,000 connections an audit flush of 500 records took seconds, and
records piled up behind it, 3,300 at a time (bench's memory section: the peak RSS crept up
~1 MB a second). Here the rows go as multi-row ``INSERT … VALUES (…), (…)`` statements, as
many rows as SQLite's variable limit allows: a few GIL hand-offs per statement instead of
one per row. Each value still goes through its column's bind processor, as SQLAlchemy
would send it. Other databases keep ``executemany`` (asyncpg pipelines it on the loop).
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
    per_statement = max(1, _VARIABLES // len(columns))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        values: list[Any] = []
        for row in chunk:
            for name, process in zip(columns, processors, strict=True):
                value = row[name]
                values.append(process(value) if process is not None else value)
        await connection.exec_driver_sql(_statement(table, dialect, len(chunk)), tuple(values))


@functools.lru_cache(maxsize=256)
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
