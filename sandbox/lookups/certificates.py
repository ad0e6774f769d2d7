"""Certificate verification lookups (证书查询核验), shared by many departments.

An answer is `{state, certificate_number, issued_on, issuer, …item extras}`; a holder the
province has no certificate for is `{state: "not-found"}`. When the request names a
certificate number the province looks that certificate up (a holder found keeps it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.data import Draws
from sandbox.lookups.base import LookupRequest, lookup
from sandbox.parties import Party

Extras = Callable[["Found"], dict[str, Any]]


@dataclass(frozen=True)
class Found:
    """What extras generators get: the request, the holder, a draw stream, the issue date."""

    req: LookupRequest
    holder: Party
    draws: Draws
    issued_on: dt.date

    @property
    def province(self) -> str:
        return self.req.province.name


def issued(req: LookupRequest, draws: Draws, *, min_years: int, max_years: int) -> dt.date:
    anchor = req.anchor
    days_back = draws.between(min_years * 365, max_years * 365)
    last = dt.date(anchor.year, anchor.month, 1)
    return last - dt.timedelta(days=days_back)


def verification(
    req: LookupRequest,
    *,
    number: Callable[[Found], str],
    issuer: Callable[[Found], str],
    extras: Extras | None = None,
    holder: str = "holder",
    present: int = 80,
    years: tuple[int, int] = (1, 15),
    states: tuple[int, int] = (86, 10),  # percent valid, percent expired; the rest revoked
) -> dict[str, Any]:
    party = req.person(holder)
    draws = req.draws(party.identifier)
    if not draws.chance(present):
        return {"state": "not-found"}
    found = Found(req, party, draws, issued(req, draws, min_years=years[0], max_years=years[1]))
    roll = draws.below(100)
    state = "valid" if roll < states[0] else "expired" if roll < sum(states) else "revoked"
    answer: dict[str, Any] = {
        "state": state,
        "certificate_number": req.text("certificate_number") or number(found),
        "issued_on": found.issued_on,
        "issuer": issuer(found),
    }
    if extras is not None:
        answer.update(extras(found))
    return answer


def simple(
    name: str,
    *,
    number: Callable[[Found], str],
    issuer: Callable[[Found], str],
    extras: Extras | None = None,
    holder: str = "holder",
    present: int = 80,
    years: tuple[int, int] = (1, 15),
) -> None:
    """Registers a verification lookup built from the pieces."""

    @lookup(name)
    def _answer(req: LookupRequest) -> dict[str, Any]:
        return verification(
            req,
            number=number,
            issuer=issuer,
            extras=extras,
            holder=holder,
            present=present,
            years=years,
        )
