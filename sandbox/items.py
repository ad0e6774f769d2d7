"""Item kinds a provincial system can serve, independent of each province's item codes.

Applications open a case (the shared engine); the kind only decides which item-specific
extras a closed case's result carries. Lookups are answered at once; each lookup kind is a
generator in `sandbox.lookups`, named after the service it answers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemKind:
    name: str
    query: bool  # True: answered at once by a lookup; False: an application that makes a case


# Application kinds: which extras a closed case's result carries (see sandbox.decisions).
APPLICATION_KINDS: tuple[str, ...] = (
    "application",  # no item-specific extras
    "unemployment_registration",  # registration number and date
    "pension_transfer",  # contact letter, transferred months, balances
    "certificate",  # a certificate, licence or card is issued: its number and e-licence id
)


@dataclass(frozen=True)
class Item:
    """One item as a province serves it: its own code, the kind, its name."""

    code: str
    kind: ItemKind
    name: str
