"""Transport (交通运输) lookups."""

from __future__ import annotations

from typing import Any

from sandbox.lookups.certificates import Found, simple

QUALIFICATIONS = (
    "passenger-driver",
    "freight-driver",
    "dangerous-goods-driver",
    "dangerous-goods-escort",
    "dangerous-goods-loader",
)


def _qualifications(found: Found) -> dict[str, Any]:
    first = found.draws.pick(QUALIFICATIONS[:2])
    held = [first]
    if found.draws.chance(25):
        held.append(found.draws.pick(QUALIFICATIONS[2:]))
    return {"qualifications": held}


simple(
    "road-transport-qualification-lookup",
    # The qualification certificate number is the holder's ID number.
    number=lambda f: f.holder.identifier,
    issuer=lambda f: f"{f.req.province.name}交通运输厅",
    extras=_qualifications,
    present=30,
)
