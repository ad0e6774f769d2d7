"""Pure translation between canonical JSON and a province's wire vocabulary.

Families share the mechanics: keys renamed through a vocabulary (family defaults plus the
province's overrides), enumerated values through code tables, and dates reformatted.
Outbound, ``YYYY-MM-DD`` and ``YYYY-MM`` strings become ``YYYYMMDD`` and ``YYYYMM``. Inbound,
values of keys the catalogue's models type as months (``YearMonth``) are read as ``YYYYMM``
and as dates (``datetime.date``) as ``YYYYMMDD``; keys outside the catalogue by their names
(``temporal_kind``; documented in docs/onboarding.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemas._temporal import catalogue_temporal_fields

# Keys each per-key cache keeps at most. A province's own keys are a few hundred; keys are
# also what its answers send, and a province sending ever new ones must not grow the
# gateway's memory: past this many, a key's decision is made again each time.
CACHED_KEYS = 4096

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def temporal_kind(key: str) -> str | None:
    """``"date"``, ``"month"`` or None for a canonical key: as the catalogue's models type it
    (``valid_until: date``, ``paid_up_to: YearMonth``), else by its name (``*_date``/``*_on``,
    ``month``/``*_month``/``*_since``) for keys outside the catalogue (case documents)."""
    kind = catalogue_temporal_fields().get(key)
    if kind is not None:
        return kind
    if key == "date" or key.endswith(("_date", "_on")):
        return "date"
    if key == "month" or key.endswith(("_month", "_since")):
        return "month"
    return None


@dataclass(frozen=True)
class Vocabulary:
    """A province's vocabulary: key maps both ways, code tables, key case for unmapped keys."""

    outbound: Mapping[str, str]
    inbound: Mapping[str, str]
    code_tables: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    wire_case: Callable[[str], str] = str
    canonical_case: Callable[[str], str] = str
    compact_dates: bool = True  # False: the province speaks ISO dates and months itself
    _decoders: dict[str, tuple[str, Callable[[str], str] | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _converters: dict[str, Callable[[str], str] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # What callers derive from this vocabulary, kept as long as it lives (the gateway's
    # per-result-model answer decoders: ``gateway.wire_json``).
    memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    _spellings: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def merged(
        cls,
        defaults_out: Mapping[str, str],
        defaults_in: Mapping[str, str],
        *,
        outbound: Mapping[str, str],
        inbound: Mapping[str, str],
        default_tables: Mapping[str, Mapping[str, str]],
        code_tables: Mapping[str, Mapping[str, str]],
        wire_case: Callable[[str], str] = str,
        canonical_case: Callable[[str], str] = str,
        compact_dates: bool = True,
    ) -> Vocabulary:
        tables = {name: dict(table) for name, table in default_tables.items()}
        for name, table in code_tables.items():
            tables[name] = {**tables.get(name, {}), **table}
        return cls(
            outbound={**defaults_out, **outbound},
            inbound={**defaults_in, **inbound},
            code_tables=tables,
            wire_case=wire_case,
            canonical_case=canonical_case,
            compact_dates=compact_dates,
        )

    def to_wire(self, value: Any, key: str | None = None) -> Any:
        """Canonical JSON → the province's keys, codes and date formats."""
        if isinstance(value, dict):
            return {
                self.outbound.get(k, self.wire_case(k)): self.to_wire(v, k)
                for k, v in value.items()
                if v is not None
            }
        if isinstance(value, list):
            return [self.to_wire(v, key) for v in value]
        if isinstance(value, str):
            table = self.code_tables.get(key or "")
            if table is not None and value in table:
                return table[value]
            if self.compact_dates and (m := _DATE.match(value) or _MONTH.match(value)):
                return "".join(m.groups())
        return value

    def from_wire(self, value: Any, key: str | None = None) -> Any:
        """The province's answer → canonical keys, values and ISO dates.

        An object spelling one key twice (``djrq`` and ``registered_on``) keeps the value
        under the spelling ranked first by ``spellings``; among spellings it does not rank,
        the last."""
        if isinstance(value, dict):
            decoders, decoder = self._decoders, self._decoder
            out: dict[str, Any] = {}
            for k, v in value.items():
                canonical, convert = decoders.get(k) or decoder(k)
                if type(v) is str:
                    if convert is not None:
                        v = convert(v)
                elif isinstance(v, dict | list):
                    v = self.from_wire(v, canonical)
                out[canonical] = v
            if len(out) < len(value):  # a key spelt twice: the spellings' ranks decide
                for k, v in self._first_ranked(value).items():
                    canonical = self.canonical_key(k)
                    out[canonical] = self.from_wire(v, canonical)
            return out
        if isinstance(value, list):
            return [self.from_wire(v, key) for v in value]
        if isinstance(value, str) and key:
            convert = self.converter(key)
            return value if convert is None else convert(value)
        return value

    def canonical_key(self, wire_key: str) -> str:
        """The canonical key ``from_wire`` reads ``wire_key`` as."""
        return self.inbound.get(wire_key, self.canonical_case(wire_key))

    def spellings(self, key: str) -> tuple[str, ...]:
        """The wire keys ``from_wire`` reads as canonical ``key`` that can be listed, first
        the one a province is expected to send: the inbound keys naming it (the one
        ``to_wire`` writes first), then ``key`` in the wire's case if that reads back as
        ``key``. With the wire's case read through a function other than ``str``, other
        spellings may exist (``Month`` for ``MONTH``)."""
        found = self._spellings.get(key)
        if found is None:
            named = [wire for wire, canonical in self.inbound.items() if canonical == key]
            cased = self.wire_case(key)
            if cased not in named and self.canonical_key(cased) == key:
                named.append(cased)
            preferred = self.outbound.get(key)
            if preferred in named:
                named.remove(preferred)
                named.insert(0, preferred)
            found = tuple(named)
            if len(self._spellings) < CACHED_KEYS:
                self._spellings[key] = found
        return found

    def _first_ranked(self, value: dict[str, Any]) -> dict[str, Any]:
        """Of ``value``'s keys spelt more than once, each one's entry under the spelling
        ranked first (unranked spellings after ranked ones; the last of those)."""
        chosen: dict[str, tuple[int, str]] = {}
        twice: set[str] = set()
        for k in value:
            canonical = self.canonical_key(k)
            ranks = self.spellings(canonical)
            rank = ranks.index(k) if k in ranks else len(ranks)
            if canonical in chosen:
                twice.add(canonical)
                if rank > chosen[canonical][0]:
                    continue
            chosen[canonical] = (rank, k)
        return {k: value[k] for canonical, (_, k) in chosen.items() if canonical in twice}

    # Per-key decisions, made once per vocabulary (the hot path of every answer).

    def _decoder(self, wire_key: str) -> tuple[str, Callable[[str], str] | None]:
        canonical = self.canonical_key(wire_key)
        entry = (canonical, self.converter(canonical))
        if len(self._decoders) < CACHED_KEYS:
            self._decoders[wire_key] = entry
        return entry

    def converter(self, key: str) -> Callable[[str], str] | None:
        """How a string value of canonical ``key`` is read, or None: as it is. Given
        anything but a string, a converter returns it unchanged, or raises ``TypeError``
        when it cannot be looked up in a code table (a list, a dict)."""
        if key in self._converters:
            return self._converters[key]
        reverse: dict[str, str] | None = None
        if (table := self.code_tables.get(key)) is not None:
            reverse = {}
            for canonical, wire in table.items():
                reverse.setdefault(wire, canonical)  # the first canonical value wins
        kind = temporal_kind(key)
        dates = _iso_month if kind == "month" else _iso_date if kind == "date" else None
        convert = _converter(reverse, dates)
        if len(self._converters) < CACHED_KEYS:
            self._converters[key] = convert
        return convert


@dataclass(frozen=True, slots=True)
class WireAnswer:
    """A query's answer as the province sent it (its keys, codes and dates) with the
    vocabulary that reads it, so that the gateway can validate and translate it in one pass
    (``gateway.wire_json``). ``canonical()`` is what the adapter's ``query`` returns."""

    data: Any
    vocabulary: Vocabulary | None = None  # None: ``data`` is canonical already

    def canonical(self) -> Any:
        return self.data if self.vocabulary is None else self.vocabulary.from_wire(self.data)


# Cached: a year of contributions holds 60 records and 12 months, and a hit is answered in
# C, without a Python call. ``typed``: ``1`` and ``True`` stay apart, as they came.
@functools.lru_cache(maxsize=1024, typed=True)
def _iso_month(value: str) -> str:
    """``YYYYMM`` → ``YYYY-MM``; anything else (other strings, other types) unchanged."""
    if type(value) is str and len(value) == 6 and value.isascii() and value.isdigit():
        return f"{value[:4]}-{value[4:]}"
    return value


@functools.lru_cache(maxsize=1024, typed=True)
def _iso_date(value: str) -> str:
    """``YYYYMMDD`` → ``YYYY-MM-DD``; anything else (other strings, other types) unchanged."""
    if type(value) is str and len(value) == 8 and value.isascii() and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


class _Codes(dict[str, str]):
    """A reversed code table: wire value → canonical value; unknown values pass as they are."""

    def __missing__(self, key: str) -> str:
        return key


def _converter(
    reverse: dict[str, str] | None, dates: Callable[[str], str] | None
) -> Callable[[str], str] | None:
    if reverse is None:
        return dates
    return _reading(frozenset(reverse.items()), dates)


@functools.lru_cache(maxsize=1024)  # distinct code tables: a few per family
def _reading(
    reverse: frozenset[tuple[str, str]], dates: Callable[[str], str] | None
) -> Callable[[str], str]:
    """One function per distinct reading, shared by every vocabulary that reads a key so:
    what is built from a vocabulary's readings (``gateway.wire_json``) is then shared too."""
    return _read_codes(dict(reverse), dates)


def _read_codes(
    reverse: dict[str, str], dates: Callable[[str], str] | None
) -> Callable[[str], str]:
    codes = _Codes(reverse)
    if dates is None:
        return codes.__getitem__
    return lambda value: reverse[value] if value in reverse else dates(value)
