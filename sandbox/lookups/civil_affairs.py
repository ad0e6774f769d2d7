"""Civil affairs (民政) lookups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sandbox.lookups.base import LookupRequest, birth_date, lookup, masked_name, person_name


@lookup("marriage-records-lookup")
def marriage_records(req: LookupRequest) -> dict[str, Any]:
    """婚姻登记记录 registered in this province: marriages, divorces, certificate reissues."""
    person = req.person("person")
    draws = req.draws(person.identifier)
    born = birth_date(person.identifier) or dt.date(1985, 1, 1)
    adult = dt.date(born.year + 22, born.month, min(born.day, 28))
    latest = dt.date(req.anchor.year, req.anchor.month, 1)
    if adult >= latest or not draws.chance(55):
        return {"records": []}

    def day_after(start: dt.date) -> dt.date:
        span = max(1, (latest - start).days)
        return start + dt.timedelta(days=draws.between(1, min(span, 3650)))

    registry = f"{req.province.city(draws.below(9))}民政局"
    spouse = masked_name(person_name(draws))
    married = day_after(adult)
    records: list[dict[str, Any]] = [
        {"event": "marriage", "registered_on": married, "registry": registry, "other_party": spouse}
    ]
    if married < latest and draws.chance(15):
        divorced = day_after(married)
        records.append(
            {
                "event": "divorce",
                "registered_on": divorced,
                "registry": registry,
                "other_party": spouse,
            }
        )
    elif married < latest and draws.chance(8):
        records.append(
            {
                "event": "reissue",
                "registered_on": day_after(married),
                "registry": registry,
                "other_party": spouse,
            }
        )
    return {"records": records}
