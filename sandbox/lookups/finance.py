"""Finance (财政) lookups."""

from __future__ import annotations

from typing import Any

from sandbox.lookups.certificates import Found, simple


def _extras(found: Found) -> dict[str, Any]:
    level = found.draws.pick(("junior", "junior", "intermediate", "senior"))
    return {"level": level, "passed_year": found.issued_on.year}


simple(
    "accounting-qualification-lookup",
    number=lambda f: (
        f"{'ZGS'[f.draws.below(3)]}{f.req.province.code[:2]}{f.issued_on.year}{f.draws.digits(5)}"
    ),
    issuer=lambda f: f"{f.req.province.name}财政厅",
    extras=_extras,
    present=30,
    years=(1, 20),
)
