"""Which provinces serve an item, and the problem a client gets where none does."""

from __future__ import annotations

from gateway import routing
from gateway.problems import Problem
from gateway.registry import Registry
from schemas._model import ServiceItem


def not_served(item: ServiceItem, provinces: list[str], registry: Registry) -> Problem:
    serving = registry.serving(item.code)
    return Problem(
        "item-not-served",
        409,
        "Item not served by this province / 该省份暂未开通此事项",
        f"{item.code} is not yet served through the gateway by {', '.join(provinces)}. "
        "A service counter (异地代收代办) in any province can still receive the application "
        "for the competent authority.",
        item=item.code,
        province=provinces[0],
        unserved=provinces,
        served_by=serving,
        counter_available="counter" in {m.value for m in item.modes},
    )


def check_coverage(item: ServiceItem, targets: list[routing.Target], registry: Registry) -> None:
    serving = set(registry.serving(item.code))
    missing = sorted({t.province for t in targets if t.province not in serving})
    if missing:
        raise not_served(item, missing, registry)
