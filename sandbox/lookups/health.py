"""Health (卫生健康) lookups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sandbox.lookups.base import LookupRequest, birth_date, lookup
from sandbox.lookups.certificates import Found, simple

# The national immunisation schedule (months after birth).
SCHEDULE: tuple[tuple[str, int, int], ...] = (
    ("乙肝疫苗", 1, 0),
    ("卡介苗", 1, 0),
    ("乙肝疫苗", 2, 1),
    ("脊灰灭活疫苗", 1, 2),
    ("脊灰灭活疫苗", 2, 3),
    ("百白破疫苗", 1, 3),
    ("脊灰减毒活疫苗", 3, 4),
    ("百白破疫苗", 2, 4),
    ("百白破疫苗", 3, 5),
    ("乙肝疫苗", 3, 6),
    ("A群流脑多糖疫苗", 1, 6),
    ("麻腮风疫苗", 1, 8),
    ("乙脑减毒活疫苗", 1, 8),
    ("A群流脑多糖疫苗", 2, 9),
    ("麻腮风疫苗", 2, 18),
    ("甲肝减毒活疫苗", 1, 18),
    ("百白破疫苗", 4, 18),
    ("乙脑减毒活疫苗", 2, 24),
)


def _physician(found: Found) -> dict[str, Any]:
    category = found.draws.pick(("clinical", "clinical", "tcm", "dental", "public-health"))
    return {"category": category, "assistant": found.draws.chance(15)}


simple(
    "physician-qualification-lookup",
    number=lambda f: (
        f"{f.issued_on.year}{f.draws.digits(2)}{f.draws.digits(2)}{f.holder.identifier[:16]}"
    ),
    issuer=lambda f: f"{f.req.province.name}卫生健康委员会",
    extras=_physician,
    present=20,
)


@lookup("vaccination-record-lookup")
def vaccinations(req: LookupRequest) -> dict[str, Any]:
    """预防接种记录 of the child, for doses given in this province."""
    req.person("guardian")
    child = req.person("child")
    draws = req.draws(child.identifier)
    born = birth_date(child.identifier)
    if born is None or not draws.chance(60):
        return {"doses": []}
    site = f"{req.province.city(draws.below(9))}社区卫生服务中心"
    doses = []
    for vaccine, dose, months_after in SCHEDULE:
        index = born.year * 12 + born.month - 1 + months_after
        given = dt.date(index // 12, index % 12 + 1, min(born.day, 28)) + dt.timedelta(
            days=draws.between(0, 20)
        )
        if given > req.today:
            break
        doses.append(
            {
                "vaccine": vaccine,
                "dose": dose,
                "given_on": given,
                "site": site,
                "province": req.province.code,
            }
        )
    return {"doses": doses}
