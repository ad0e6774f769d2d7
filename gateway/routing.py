"""Which provinces a request involves: the item's roles read from the validated request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from schemas._model import ServiceItem


@dataclass(frozen=True)
class Target:
    role: str
    province: str
    step: int
    pivot: bool


def resolve(model: BaseModel, dotted: str) -> Any:
    """The value at ``dotted`` (``applicant.origin_province``…), None past an absent part."""
    value: Any = model
    for part in dotted.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def targets(item: ServiceItem, request: BaseModel) -> list[Target]:
    """One target per (role, province), in the item's role order; absent optional roles skip."""
    found: list[Target] = []
    for role in item.roles:
        value = resolve(request, role.field)
        provinces = value if role.many else [value]
        for province in provinces or ():
            if province is not None:
                found.append(Target(role.name, str(province), role.order, role.pivot))
    return found
