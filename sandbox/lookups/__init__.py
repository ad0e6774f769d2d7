"""Lookup generators, one small module per department.

`LOOKUPS` maps a lookup kind (named after the service it answers) to its generator. A
province's `provinces.toml` item with that kind is answered by it. See `base` for the
framework and `certificates` for the shared verification shape.
"""

from __future__ import annotations

from sandbox.lookups import (
    civil_affairs,
    disabled_persons,
    education,
    emergency,
    finance,
    health,
    housing_construction,
    housing_fund,
    hrss,
    market_regulation,
    medical_insurance,
    natural_resources,
    taxation,
    transport,
)
from sandbox.lookups.base import REGISTRY, FieldProblem, Lookup, LookupRequest

LOOKUPS: dict[str, Lookup] = dict(sorted(REGISTRY.items()))

DEPARTMENTS = (
    civil_affairs,
    disabled_persons,
    education,
    emergency,
    finance,
    health,
    housing_construction,
    housing_fund,
    hrss,
    market_regulation,
    medical_insurance,
    natural_resources,
    taxation,
    transport,
)

__all__ = ["DEPARTMENTS", "LOOKUPS", "FieldProblem", "Lookup", "LookupRequest"]
