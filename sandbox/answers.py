"""Family-independent answers, keyed by the province's vocabulary.

Both families build the same nested dict (wire keys from the province's vocabulary); REST
sends it as JSON, SOAP as elements.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sandbox.data import INSURANCE_TYPES, money, months_paid, select, valid_month
from sandbox.decisions import Decision
from sandbox.provinces import Province
from sandbox.state import SandboxState


class FieldProblem(ValueError):
    """A lookup condition is missing or malformed; `meaning` names it (see provinces.MEANINGS)."""

    def __init__(self, meaning: str, problem: str) -> None:
        super().__init__(f"{meaning}: {problem}")
        self.meaning = meaning
        self.problem = problem


def insurance_type_filter(value: object) -> list[str] | None:
    """A list of national insurance type codes, a single code, or nothing."""
    if value is None or value == "" or value == []:
        return None
    codes = [value] if isinstance(value, str | int) else value
    if not isinstance(codes, list) or not all(isinstance(c, str | int) for c in codes):
        raise FieldProblem("insurance_types", "应为险种代码列表")
    out = [str(c) for c in codes]
    unknown = [c for c in out if c not in INSURANCE_TYPES]
    if unknown:
        raise FieldProblem("insurance_types", f"未知险种 {','.join(unknown)}")
    return out


def month_condition(meaning: str, value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not valid_month(value):
        raise FieldProblem(meaning, "应为YYYYMM")
    return value


def contributions(
    state: SandboxState,
    province: Province,
    *,
    id_number: str,
    from_month: str | None,
    to_month: str | None,
    insurance_types: Sequence[str] | None,
) -> dict[str, Any]:
    """The contributions answer `{records: [...], months_paid: n}` in the province's words."""
    if from_month and to_month and from_month > to_month:
        raise FieldProblem("from_month", "晚于截止年月")
    state.engine.record_lookup(province.code)
    history = state.contributions.history(province.code, id_number, province.employers)
    records = select(history, from_month, to_month, insurance_types)
    v = province.vocab
    return {
        v["records"]: [
            {
                v["month"]: r.month,
                v["insurance_type"]: r.insurance_type,
                v["base"]: money(r.base),
                v["employer_amount"]: money(r.employer_amount),
                v["personal_amount"]: money(r.personal_amount),
                v["employer_name"]: r.employer_name,
            }
            for r in records
        ],
        v["months_paid"]: months_paid(records),
    }


def decision_fields(province: Province, decision: Decision) -> dict[str, Any]:
    """A closed case's result (`bjjg` / `Result`) in the province's words."""
    v = province.vocab
    return {
        v["decision_number"]: decision.number,
        v["closing_date"]: decision.closed_on,
        v["decision_text"]: decision.text,
        **{v[meaning]: value for meaning, value in decision.extras.items()},
    }
