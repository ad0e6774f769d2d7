"""Market regulation (市场监管) lookups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sandbox.lookups.base import FieldProblem, LookupRequest, lookup, masked_name, person_name

TRADES = ("科技", "商贸", "电子", "物流", "餐饮管理", "建设工程", "文化传媒", "医疗器械")


@lookup("business-licence-verification")
def licence(req: LookupRequest) -> dict[str, Any]:
    """营业执照核验 by credit code; a name given is compared with the registered one."""
    credit_code = req.text("credit_code")
    if credit_code is None:
        raise FieldProblem(("credit_code",), "缺失")
    draws = req.draws(credit_code.upper())
    if not draws.chance(85):
        return {"found": False}
    given = req.text("name")
    if given and draws.chance(80):
        name = given
    else:
        name = f"{req.province.city(draws.below(9))}{draws.pick('云星海金华泰信')}" + (
            f"{draws.pick(TRADES)}有限公司"
        )
    established = dt.date(req.anchor.year, req.anchor.month, 1) - dt.timedelta(
        days=draws.between(90, 9000)
    )
    answer: dict[str, Any] = {
        "found": True,
        "name": name,
        "status": draws.pick(("active",) * 12 + ("revoked", "deregistered", "moved-out")),
        "legal_representative": masked_name(person_name(draws)),
        "established_on": established,
        "registered_capital": Decimal(draws.pick((10, 50, 100, 200, 500, 1000, 5000)) * 10000),
    }
    if given:
        answer["name_matches"] = given == name
    return answer
