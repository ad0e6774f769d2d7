"""Who a submission or lookup is about, found in the data as the province names it.

A submission must identify a party: somewhere in it, at any depth, a resident ID number or a
unified social credit code under the province's key for it (`sfzh`/`tyshxydm`, `SFZH`/
`TYSHXYDM`, `idCardNo`/`creditCode`, `zhengjianhaoma`/`tongyishehuixinyongdaima`). Items name
their parties differently (applicant, applying organisation, the two parties of a
marriage…); the applicant and the applying organisation are looked at first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.provinces import Vocab


def mask_id(id_number: str) -> str:
    """An ID number fit for a log line: 110***********02X."""
    if len(id_number) <= 6:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 6) + id_number[-3:]


@dataclass(frozen=True)
class Party:
    """A person (resident ID) or an organisation (credit code)."""

    name: str | None
    identifier: str
    organisation: bool = False

    @property
    def id_number(self) -> str:
        return self.identifier

    @property
    def addressed_as(self) -> str:
        return self.name or ("申请单位" if self.organisation else "申请人")

    def __repr__(self) -> str:  # never print the ID number
        return (
            f"Party(name={self.name!r}, identifier={mask_id(self.identifier)!r}, "
            f"organisation={self.organisation})"
        )


class PartyMissing(ValueError):
    """The data identifies no party; `keys` are the wire keys that would have."""

    def __init__(self, keys: tuple[str, str]) -> None:
        super().__init__(f"no {keys[0]} or {keys[1]}")
        self.keys = keys


class RefusedKey(ValueError):
    """The data uses the family's common spelling where the province has its own."""

    def __init__(self, key: str, instead: str) -> None:
        super().__init__(f"{key} (use {instead})")
        self.key = key
        self.instead = instead


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every object in `value`, depth first, parents before children."""
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _objects(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _objects(inner)


def _party_in(obj: dict[str, Any], vocab: Vocab) -> Party | None:
    name = _text(obj.get(vocab.key("name")))
    id_number = _text(obj.get(vocab.key("id_number")))
    if id_number is not None:
        return Party(name, id_number)
    credit_code = _text(obj.get(vocab.key("credit_code")))
    if credit_code is not None:
        return Party(name, credit_code, organisation=True)
    return None


def find_party(data: Any, vocab: Vocab) -> Party:
    """The party `data` identifies, or PartyMissing."""
    if isinstance(data, dict):
        for meaning in ("applicant", "enterprise"):
            first = data.get(vocab.key(meaning))
            if isinstance(first, dict) and (found := _party_in(first, vocab)) is not None:
                return found
    for obj in _objects(data):
        found = _party_in(obj, vocab)
        if found is not None:
            return found
    raise PartyMissing((vocab.key("id_number"), vocab.key("credit_code")))


def check_spelling(data: Any, vocab: Vocab) -> None:
    """RefusedKey if `data` uses a common spelling this province replaced."""
    if not vocab.refused:
        return
    for obj in _objects(data):
        for key in obj:
            if key in vocab.refused:
                raise RefusedKey(key, vocab.refused[key])
