"""Item kinds a provincial system can serve, independent of each province's item codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemKind:
    name: str
    query: bool  # True: answered at once by a lookup; False: an application that makes a case


KINDS: dict[str, ItemKind] = {
    kind.name: kind
    for kind in (
        ItemKind("contributions", query=True),
        ItemKind("unemployment_registration", query=False),
        ItemKind("pension_transfer", query=False),
        ItemKind("application", query=False),  # any other application: no item-specific extras
    )
}


@dataclass(frozen=True)
class Item:
    """One item as a province serves it: its own code, the kind, its name."""

    code: str
    kind: ItemKind
    name: str
