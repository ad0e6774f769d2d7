"""Family-independent answers: lookups, decisions and submissions in the province's words.

Every family hands in what it received (as plain data in the province's words) and gets
plain data back, rendered for its wire style; it only wraps it in its own envelope.
Refusals come back as `Invalid`, naming the offending field by its wire key(s).
"""

from __future__ import annotations

from typing import Any

from sandbox import parties
from sandbox.decisions import Decision
from sandbox.items import Item
from sandbox.lookups import LOOKUPS, FieldProblem, LookupRequest
from sandbox.parties import Party, PartyMissing, RefusedKey, find_party
from sandbox.provinces import Province
from sandbox.state import SandboxState
from sandbox.wire import render


class Invalid(ValueError):
    """A business parameter is missing or malformed. `path` holds wire keys, outermost first."""

    def __init__(self, path: tuple[str, ...], problem: str) -> None:
        super().__init__(f"{'.'.join(path)} {problem}")
        self.path = path
        self.problem = problem

    def field(self, separator: str = ".", prefix: str = "") -> str:
        parts = ([prefix] if prefix else []) + list(self.path)
        return separator.join(parts)


def check_spelling(province: Province, data: Any) -> None:
    """Invalid if `data` uses a family spelling the province replaced with its own."""
    try:
        parties.check_spelling(data, province.vocab)
    except RefusedKey as exc:
        raise Invalid((exc.key,), f"不是本省字段名，应为 {exc.instead}") from exc


def submission_party(province: Province, data: Any) -> Party:
    """The party a submission's data identifies (refusing the family spellings replaced)."""
    check_spelling(province, data)
    try:
        return find_party(data, province.vocab)
    except PartyMissing as exc:
        raise Invalid((), f"未标识当事人：须含 {exc.keys[0]} 或 {exc.keys[1]}") from exc


def lookup(
    state: SandboxState, province: Province, item: Item, conditions: dict[str, Any]
) -> dict[str, Any]:
    """The answer to a lookup item, in the province's words and wire style."""
    check_spelling(province, conditions)
    request = LookupRequest(
        name=item.kind.name,
        province=province,
        conditions=conditions,
        contributions=state.contributions,
        now=state.clock(),
    )
    try:
        tree = LOOKUPS[item.kind.name].answer(request)
    except FieldProblem as exc:
        path = tuple(province.vocab.key(m) for m in exc.path)
        raise Invalid(path, exc.problem) from exc
    state.engine.record_lookup(province.code)
    rendered = render(tree, province.vocab, province.style)
    return rendered if isinstance(rendered, dict) else {}


def decision_fields(province: Province, decision: Decision) -> dict[str, Any]:
    """A closed case's result (`bjjg`, `Result`, `result`) in the province's words."""
    rendered = render(decision.tree(), province.vocab, province.style)
    return rendered if isinstance(rendered, dict) else {}
