"""Pure translation between canonical JSON and a province's wire vocabulary.

Families share the mechanics: keys renamed through a vocabulary (family defaults plus the
province's overrides), enumerated values through code tables, and dates reformatted.
Outbound, ``YYYY-MM-DD`` and ``YYYY-MM`` strings become ``YYYYMMDD`` and ``YYYYMM``. Inbound,
values of canonical keys named ``month``/``*_month``/``*_since`` are read as ``YYYYMM`` and
``date``/``*_date``/``*_on`` as ``YYYYMMDD`` (documented in docs/onboarding.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WIRE_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_WIRE_MONTH = re.compile(r"^(\d{4})(\d{2})$")


def _is_month_key(key: str) -> bool:
    return key == "month" or key.endswith(("_month", "_since"))


def _is_date_key(key: str) -> bool:
    return key == "date" or key.endswith(("_date", "_on"))


@dataclass(frozen=True)
class Vocabulary:
    """A province's vocabulary: key maps both ways, code tables, key case for unmapped keys."""

    outbound: Mapping[str, str]
    inbound: Mapping[str, str]
    code_tables: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    wire_case: Callable[[str], str] = str
    canonical_case: Callable[[str], str] = str
    compact_dates: bool = True  # False: the province speaks ISO dates and months itself
    _names: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _rules: dict[str, tuple[dict[str, str] | None, tuple[re.Pattern[str], ...]]] = field(
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
        """The province's answer → canonical keys, values and ISO dates."""
        if isinstance(value, dict):
            names, rules = self._names, self._rules
            out: dict[str, Any] = {}
            for k, v in value.items():
                canonical = names.get(k)
                if canonical is None:
                    canonical = names[k] = self.inbound.get(k, self.canonical_case(k))
                if isinstance(v, str):
                    if canonical:  # inlined _string(): most values are strings
                        reverse, patterns = rules.get(canonical) or self._rule(canonical)
                        if reverse is not None and v in reverse:
                            v = reverse[v]
                        else:
                            for pattern in patterns:
                                if m := pattern.match(v):
                                    v = "-".join(m.groups())
                                    break
                elif isinstance(v, dict | list):
                    v = self.from_wire(v, canonical)
                out[canonical] = v
            return out
        if isinstance(value, list):
            return [self.from_wire(v, key) for v in value]
        if isinstance(value, str) and key:
            reverse, patterns = self._rules.get(key) or self._rule(key)
            if reverse is not None and value in reverse:
                return reverse[value]
            for pattern in patterns:
                if m := pattern.match(value):
                    return "-".join(m.groups())
        return value

    # Per-key decisions, computed once per vocabulary (the hot path of every answer).

    def _rule(self, key: str) -> tuple[dict[str, str] | None, tuple[re.Pattern[str], ...]]:
        table = self.code_tables.get(key)
        reverse: dict[str, str] | None = None
        if table is not None:
            reverse = {}
            for canonical, wire in table.items():
                reverse.setdefault(wire, canonical)  # the first canonical value wins
        patterns = tuple(
            pattern
            for applies, pattern in (
                (_is_month_key(key), _WIRE_MONTH),
                (_is_date_key(key), _WIRE_DATE),
            )
            if applies
        )
        rule = self._rules[key] = (reverse, patterns)
        return rule
