"""Columns sealed at rest: a case's results, delivery address, counter record, reasons, notes.

The application itself is sealed by the code that writes it, bound to its case. What a case
gathers later (a province's decision and the balances a pension transfer carries, the address
a licence is posted to, a province's reason for refusing, the free text of a timeline note)
is personal data too, written from many places. These column types seal every value they
write with the engine's ``Sealer`` (SM4-GCM) and open what they read, so no code path can
store one in clear.

Each value is bound, as associated data, to its column and to its row's owner (the case, or
the leg): ``cases.result:<case id>``. A value copied into another column, or into the same
column of another row, does not open. Binding the column alone (as values sealed before
this were, ``MARK``) let anyone able to write to the database move a sealed value from one
case to another, and read it through the API as the other case's owner: someone's delivery
address copied into one's own case was one's own to read.

A column type sees values, never rows, so the row is brought in by the ORM (``bind_rows``,
listening on the declarative base): before a row is written, each sealed value it changes is
handed to the column as ``Bound(owner, value)``; when a row is loaded, each sealed value is
read as ``Unopened`` and opened with the row's owner. A value written without its row (a
Core ``insert`` or ``update`` with a plain value) is refused (``TypeError``); a Core
``select`` of a sealed column gives ``Unopened`` values, opened with ``.open(owner)``.

The sealer belongs to the engine (``attach``; ``store.db.make_engine(url, sealer)``), not to
the process: two gateways with different data keys can share a process, as tests do.

Stored forms: ``ROW_MARK`` ‖ sealed bytes (bound to column and row); ``MARK`` ‖ sealed bytes
(bound to the column alone, written before this); or the UTF-8 text of values written
before the columns were sealed (migration 0005). The last two are still read, and sealed
bound to their row when next written, or by ``tongban data reseal`` (``gateway.reseal``);
JSON and text never start with either mark.
"""

from __future__ import annotations

import weakref
from typing import Any

import orjson
from sqlalchemy import LargeBinary, event, inspect
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapper
from sqlalchemy.types import TypeDecorator

from gateway.privacy import Sealer

MARK = b"\x01"  # bound to its column alone (written before row binding)
ROW_MARK = b"\x02"  # bound to its column and its row's owner
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


class Bound:
    """A value on its way into a sealed column, with the owner of its row."""

    __slots__ = ("owner", "value")

    def __init__(self, owner: str, value: Any) -> None:
        self.owner = owner
        self.value = value


class Unopened:
    """A sealed column's value as stored, to be opened with the owner of its row."""

    __slots__ = ("column", "dialect", "stored")

    def __init__(self, column: Sealed, dialect: Dialect, stored: bytes | memoryview | str) -> None:
        self.column = column
        self.dialect = dialect
        self.stored = stored

    def __repr__(self) -> str:
        return f"Unopened({self.column.column})"

    def open(self, owner: str) -> Any:
        return self.column.reading(self.stored, self.dialect, owner)[0]


class Sealed(TypeDecorator[Any]):
    impl = LargeBinary
    cache_ok = True

    def __init__(self, column: str, *, owner: str) -> None:
        super().__init__()
        self.column = column  # "table.column"
        self.owner = owner  # the attribute naming the row's owner: "id", "case_id"

    def binding(self, owner: str) -> str:
        """The associated data of a value of this column in ``owner``'s row."""
        return f"{self.column}:{owner}"

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        if not isinstance(value, Bound):
            raise TypeError(
                f"{self.column} is sealed to its row: write it through the ORM, or as "
                "store.sealed.Bound(owner, value)"
            )
        sealer = _sealer(dialect, self.column)
        return ROW_MARK + sealer.seal(value.value, bound_to=self.binding(value.owner))

    def process_result_value(self, value: Any, dialect: Dialect) -> Unopened | None:
        if value is None:
            return None
        return Unopened(self, dialect, value)

    def reading(
        self, stored: bytes | memoryview | str, dialect: Dialect, owner: str
    ) -> tuple[Any, bool]:
        """A stored value of ``owner``'s row: (what it holds, whether it is as this column
        writes it now: bound to its row, sealed with the current key)."""
        if isinstance(stored, memoryview):  # PostgreSQL's bytea, as some drivers read it
            stored = bytes(stored)
        if isinstance(stored, bytes) and stored[:1] == ROW_MARK:
            sealer = _sealer(dialect, self.column)
            return sealer.opened(stored[1:], bound_to=self.binding(owner))
        if isinstance(stored, bytes) and stored[:1] == MARK:
            sealer = _sealer(dialect, self.column)
            return sealer.opened(stored[1:], bound_to=self.column)[0], False
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


# -- the ORM's part: rows bound on the way in, opened on the way out --------------------------


Attributes = tuple[tuple[str, "Sealed"], ...]  # (attribute, its column's type)


def _open(target: Any, sealed: Attributes) -> None:
    values = target.__dict__
    for key, column in sealed:
        value = values.get(key)
        if isinstance(value, Unopened):
            # Just loaded: the dict holds the committed value itself, with no history.
            values[key] = value.open(str(values[column.owner]))


def _bind(target: Any, sealed: Attributes) -> None:
    values = target.__dict__
    for key, column in sealed:
        value = values.get(key)
        if value is None or isinstance(value, Bound | Unopened):
            continue  # nothing to seal, or already on its way, or as stored (never opened)
        state = inspect(target)
        if state.key is None or state.attrs[key].history.has_changes():
            # Straight into the instance's dict: the change is already recorded, and this
            # must not record another. ``_unbind`` puts the value back after the write.
            values[key] = Bound(str(values[column.owner]), value)


def _unbind(target: Any, sealed: Attributes) -> None:
    values = target.__dict__
    for key, _ in sealed:
        value = values.get(key)
        if isinstance(value, Bound):
            values[key] = value.value


def bind_rows(base: type[Any]) -> None:
    """Bind sealed values to their row's owner on the way in and open them on the way out
    (see the module's docstring), in each class mapped on ``base`` that has sealed columns;
    the others pay nothing."""
    event.listen(base, "mapper_configured", _listen, propagate=True)


def _listen(mapper: Mapper[Any], cls: type[Any]) -> None:
    sealed: Attributes = tuple(
        (prop.key, column.type)
        for prop in mapper.column_attrs
        for column in prop.columns
        if isinstance(column.type, Sealed)
    )
    if not sealed:
        return

    def opened(target: Any, *_: Any) -> None:  # load (target, context), refresh (+ keys)
        _open(target, sealed)

    def bind(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
        _bind(target, sealed)

    def unbind(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
        _unbind(target, sealed)

    event.listen(cls, "load", opened)
    event.listen(cls, "refresh", opened)
    for name in ("before_insert", "before_update"):
        event.listen(mapper, name, bind)
    for name in ("after_insert", "after_update"):
        event.listen(mapper, name, unbind)
