"""Housing provident fund (住房公积金) lookups."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.lookups.base import LookupRequest, amount, lookup


@lookup("housing-fund-records")
def accounts(req: LookupRequest) -> dict[str, Any]:
    """缴存信息: about 70% of people have an account at the provincial capital's centre."""
    person = req.person("person")
    draws = req.draws(person.identifier)
    if not draws.chance(70):
        return {"accounts": []}
    state = draws.pick(("active",) * 6 + ("sealed", "sealed", "closed"))
    account: dict[str, Any] = {
        "province": req.province.code,
        "centre": f"{req.province.city(0)}住房公积金管理中心",
        "state": state,
        "balance": amount(0, 160000, draws) if state != "closed" else Decimal("0.00"),
    }
    if state == "active":
        account["monthly_contribution"] = Decimal(draws.between(2, 60) * 100)
        account["paid_up_to"] = req.anchor
    else:
        account["paid_up_to"] = req.anchor + -draws.between(1, 48)
    if state != "closed" and draws.chance(30):
        account["loan_outstanding"] = amount(50000, 900000, draws)
    return {"accounts": [account]}
