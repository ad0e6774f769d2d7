"""Loads `provinces.toml`: which provinces each family server hosts and how they speak."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.items import KINDS, Item

DEFAULT_PATH = Path(__file__).with_name("provinces.toml")

# Every meaning a family vocabulary must name (meaning -> wire key).
MEANINGS: tuple[str, ...] = (
    "applicant",
    "person",
    "name",
    "id_number",
    "phone",
    "address",
    "from_month",
    "to_month",
    "insurance_types",
    "records",
    "month",
    "insurance_type",
    "base",
    "employer_amount",
    "personal_amount",
    "employer_name",
    "months_paid",
    "decision_number",
    "closing_date",
    "decision_text",
    "contact_letter_number",
    "transferred_months",
    "personal_account_balance",
    "pooled_fund_transferred",
    "registration_number",
    "registration_date",
)


class CatalogError(ValueError):
    """provinces.toml is not usable."""


class Vocab:
    """A province's field names: meaning -> wire key."""

    def __init__(self, keys: Mapping[str, str]) -> None:
        missing = [m for m in MEANINGS if m not in keys]
        if missing:
            raise CatalogError(f"vocabulary lacks {', '.join(missing)}")
        self._keys = dict(keys)

    def __getitem__(self, meaning: str) -> str:
        return self._keys[meaning]

    def as_dict(self) -> dict[str, str]:
        return dict(self._keys)


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    family: str
    letters: str
    decision_issuer: str
    employers: tuple[str, ...]
    items: Mapping[str, Item]
    vocab: Vocab
    auth: Mapping[str, Any] = field(default_factory=dict)  # family-specific, parsed by the family


@dataclass(frozen=True)
class Defaults:
    correction_wait_steps: int = 3
    token_ttl_seconds: int = 600
    send_time_window_seconds: int = 300
    latency_ms: int = 0
    error_rate: float = 0.0
    hang: bool = False
    outcomes: Mapping[str, float] = field(
        default_factory=lambda: {
            "approved": 0.8,
            "correction": 0.1,
            "rejected": 0.05,
            "not_accepted": 0.05,
        }
    )


@dataclass(frozen=True)
class Catalog:
    defaults: Defaults
    provinces: Mapping[str, Province]
    anchor_month: str | None = None

    def hosted_by(self, family: str) -> dict[str, Province]:
        return {code: p for code, p in self.provinces.items() if p.family == family}


def _table(raw: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, Mapping):
        raise CatalogError(f"{where}.{key} must be a table")
    return value


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise CatalogError(f"{where}.{key} must be a non-empty string")
    return value


def _province(code: str, raw: Mapping[str, Any], families: Mapping[str, Any]) -> Province:
    where = f"provinces.{code}"
    if len(code) != 6 or not code.isdigit():
        raise CatalogError(f"{where}: a province code is six digits")
    family = _text(raw, "family", where)
    family_vocab = _table(_table(families, family, "families"), "vocab", f"families.{family}")
    vocab = Vocab({**family_vocab, **_table(raw, "vocab", where)})
    items: dict[str, Item] = {}
    for item_code, item_raw in _table(raw, "items", where).items():
        kind_name = _text(item_raw, "kind", f"{where}.items.{item_code}")
        if kind_name not in KINDS:
            raise CatalogError(f"{where}.items.{item_code}: unknown kind {kind_name!r}")
        items[item_code] = Item(item_code, KINDS[kind_name], str(item_raw.get("name", item_code)))
    employers = raw.get("employers", [])
    if not isinstance(employers, list) or not all(isinstance(e, str) for e in employers):
        raise CatalogError(f"{where}.employers must be a list of strings")
    return Province(
        code=code,
        name=_text(raw, "name", where),
        family=family,
        letters=_text(raw, "letters", where),
        decision_issuer=_text(raw, "decision_issuer", where),
        employers=tuple(employers),
        items=items,
        vocab=vocab,
        auth=dict(_table(raw, "auth", where)),
    )


def parse_catalog(raw: Mapping[str, Any]) -> Catalog:
    defaults_raw: dict[str, Any] = dict(_table(raw, "defaults", ""))
    if not defaults_raw.get("outcomes"):
        defaults_raw.pop("outcomes", None)
    try:
        defaults = Defaults(**defaults_raw)
    except TypeError as exc:
        raise CatalogError(f"defaults: {exc}") from exc
    families = _table(raw, "families", "")
    provinces = {
        str(code): _province(str(code), p, families)
        for code, p in _table(raw, "provinces", "").items()
    }
    anchor = _table(raw, "data", "").get("anchor_month")
    if anchor is not None and (not isinstance(anchor, str) or len(anchor) != 6):
        raise CatalogError("data.anchor_month must be YYYYMM")
    return Catalog(defaults=defaults, provinces=provinces, anchor_month=anchor)


def load_catalog(path: Path | None = None) -> Catalog:
    with (path or DEFAULT_PATH).open("rb") as f:
        return parse_catalog(tomllib.load(f))
