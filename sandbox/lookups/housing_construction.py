"""Housing and urban-rural development (住房和城乡建设) lookups."""

from __future__ import annotations

from typing import Any

from sandbox.lookups.certificates import Found, simple

SPECIALTIES = ("建筑工程", "市政公用工程", "机电工程", "公路工程", "水利水电工程", "矿业工程")


def _level(found: Found) -> str:
    return "first" if found.holder.identifier[-2] in "01234" else "second"


def _extras(found: Found) -> dict[str, Any]:
    held = [found.draws.pick(SPECIALTIES)]
    if found.draws.chance(30):
        extra = found.draws.pick(SPECIALTIES)
        if extra not in held:
            held.append(extra)
    employer = found.draws.pick(found.req.province.employers or ("某某建设集团有限公司",))
    return {"level": _level(found), "specialties": held, "employer": employer}


simple(
    "constructor-certificate-lookup",
    number=lambda f: (
        f"{f.req.province.abbr}{1 if _level(f) == 'first' else 2}"
        f"{f.req.province.code[:2]}{f.issued_on.year}{f.draws.digits(6)}"
    ),
    issuer=lambda f: (
        "住房和城乡建设部" if _level(f) == "first" else f"{f.req.province.name}住房和城乡建设厅"
    ),
    extras=_extras,
    present=25,
)
