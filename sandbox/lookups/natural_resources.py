"""Natural resources (自然资源 / 不动产登记) lookups."""

from __future__ import annotations

from typing import Any

from sandbox.lookups.base import LookupRequest, lookup

ROADS = ("人民路", "建设路", "解放路", "中山路", "滨江路", "学府路", "和平路")


@lookup("real-estate-records-lookup")
def properties(req: LookupRequest) -> dict[str, Any]:
    """不动产登记信息 in this province: none, one or two properties."""
    person = req.person("person")
    draws = req.draws(person.identifier)
    count = draws.pick((0, 0, 0, 1, 1, 1, 1, 2))
    found = []
    for _ in range(count):
        city = req.province.city(draws.below(9))
        usage = draws.pick(("住宅", "住宅", "住宅", "商业", "办公"))
        year = req.anchor.year - draws.between(0, 15)
        found.append(
            {
                "province": req.province.code,
                "address": f"{req.province.name}{city}{draws.pick(ROADS)}{draws.between(1, 400)}号"
                f"{draws.between(1, 30)}栋{draws.between(1, 33)}{draws.between(1, 8):02d}房",
                "title_number": f"{req.province.abbr}({year}){city}不动产权第{draws.digits(7)}号",
                "area": draws.between(350, 2200) / 10,
                "usage": usage,
                "mortgaged": draws.chance(45),
                "seized": draws.chance(3),
            }
        )
    return {"properties": found}
