"""Columns sealed at rest: a case's results, delivery address, counter record, reasons, notes.

The application itself is sealed by the code that writes it, bound to its case. What a case
gathers later (a province's decision and the balances a pension transfer carries, the address
a licence is posted to, a province's reason for refusing, the free text of a timeline note)
is personal data too, written from many places. These column types seal every value they
write with the engine's ``Sealer`` (SM4-GCM) and open what they read, so no code path can
store one in clear. Each column binds its own name as associated data: a value copied into
another column does not open.

The sealer belongs to the engine (``attach``; ``store.db.make_engine(url, sealer)``), not to
the process: two gateways with different data keys can share a process, as tests do.

Stored form: ``b"\\x01"`` ‖ sealed bytes. Values written before the columns were sealed
(migration 0005 kept them as their UTF-8 text) are read as they are and sealed when next
written, or by ``tongban data reseal`` (``gateway.reseal``); JSON and text never start with
that byte.
"""

from __future__ import annotations

import weakref
from typing import Any

import orjson
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import TypeDecorator

from gateway.privacy import Sealer

MARK = b"\x01"
_SEALERS: weakref.WeakKeyDictionary[Dialect, Sealer] = weakref.WeakKeyDictionary()


class NoDataKey(RuntimeError):
    """A sealed column was written or read through an engine without a sealer."""


def attach(engine: AsyncEngine, sealer: Sealer) -> None:
    _SEALERS[engine.sync_engine.dialect] = sealer


def sealer_of(engine: AsyncEngine) -> Sealer:
    """The sealer ``attach`` gave ``engine``."""
    return _sealer(engine.sync_engine.dialect, "this engine's data")


def _sealer(dialect: Dialect, column: str) -> Sealer:
    sealer = _SEALERS.get(dialect)
    if sealer is None:
        raise NoDataKey(f"{column} is sealed: this engine was made without the data key")
    return sealer


class Sealed(TypeDecorator[Any]):
    impl = LargeBinary
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column  # "table.column": the associated data

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return MARK + _sealer(dialect, self.column).seal(value, bound_to=self.column)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self.reading(value, dialect)[0]

    def reading(self, stored: Any, dialect: Dialect) -> tuple[Any, bool]:
        """A stored value: (what it holds, whether it is sealed with the current key)."""
        if isinstance(stored, memoryview):
            stored = bytes(stored)
        if isinstance(stored, bytes) and stored[:1] == MARK:
            return _sealer(dialect, self.column).opened(stored[1:], bound_to=self.column)
        return self.legacy(stored.decode() if isinstance(stored, bytes) else stored), False

    def legacy(self, text: str) -> Any:
        raise NotImplementedError


class SealedJSON(Sealed):
    """A JSON document (a dict), sealed."""

    cache_ok = True
    hashable = False  # as sqlalchemy.JSON: the ORM must not hash its values

    def legacy(self, text: str) -> Any:
        return orjson.loads(text)


class SealedText(Sealed):
    """Free text, sealed."""

    cache_ok = True

    def legacy(self, text: str) -> Any:
        return text
