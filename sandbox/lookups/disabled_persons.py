"""Disabled persons' federation (残联) lookups."""

from __future__ import annotations

from typing import Any

from sandbox.data import Draws
from sandbox.lookups.certificates import Found, simple

CATEGORIES = ("visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple")


def _card(found: Found) -> tuple[int, int]:
    """(category index, level) of the holder's card."""
    draws = Draws("disability-card", found.req.province.code, found.holder.identifier)
    return draws.below(len(CATEGORIES)), draws.between(1, 4)


def _extras(found: Found) -> dict[str, Any]:
    category, level = _card(found)
    return {"category": CATEGORIES[category], "level": str(level)}


def _number(found: Found) -> str:
    # The second-generation card: the ID number, then category and level digits.
    category, level = _card(found)
    return f"{found.holder.identifier}{category + 1}{level}"


simple(
    "disability-certificate-lookup",
    number=_number,
    issuer=lambda f: f"{f.req.province.city(f.draws.below(9))}残疾人联合会",
    extras=_extras,
    present=25,
    years=(0, 10),
)
