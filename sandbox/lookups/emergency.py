"""Emergency management (应急管理) lookups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sandbox.lookups.certificates import Found, simple

OPERATIONS = (
    "electrical",
    "welding",
    "height",
    "refrigeration",
    "mining-safety",
    "hazardous-chemicals",
)


def _extras(found: Found) -> dict[str, Any]:
    # Special operation certificates are reviewed every three years.
    years = (found.req.today - found.issued_on).days // 1095 + 1
    due = found.issued_on + dt.timedelta(days=1095 * years)
    return {"operation": found.draws.pick(OPERATIONS), "next_review_due": due}


simple(
    "special-operation-certificate-lookup",
    number=lambda f: f"T{f.holder.identifier}",
    issuer=lambda f: f"{f.req.province.name}应急管理厅",
    extras=_extras,
    present=30,
    years=(0, 12),
)
