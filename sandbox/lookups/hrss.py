"""Human resources and social security (人力资源和社会保障) lookups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sandbox.data import INSURANCE_TYPES, months_paid, select
from sandbox.lookups.base import (
    FieldProblem,
    LookupRequest,
    amount,
    issued_document,
    lookup,
    month_day,
    months,
)
from sandbox.lookups.certificates import Found, simple
from sandbox.wire import Month

OCCUPATIONS = (
    "电工",
    "焊工",
    "育婴员",
    "保育师",
    "中式烹调师",
    "美容师",
    "汽车维修工",
    "电子商务师",
    "养老护理员",
    "企业人力资源管理师",
)
TECHNICIAN_MAJORS = ("数控加工", "电气自动化设备安装与维修", "汽车维修", "工业机器人应用与维护")


def insurance_type_filter(value: object) -> list[str] | None:
    """A list of national insurance type codes, a single code, or nothing."""
    if value is None or value == "" or value == []:
        return None
    codes = [value] if isinstance(value, str | int) else value
    if not isinstance(codes, list) or not all(isinstance(c, str | int) for c in codes):
        raise FieldProblem(("insurance_types",), "应为险种代码列表")
    out = [str(c) for c in codes]
    unknown = [c for c in out if c not in INSURANCE_TYPES]
    if unknown:
        raise FieldProblem(("insurance_types",), f"未知险种 {','.join(unknown)}")
    return out


@lookup("social-insurance-contributions")
def contributions(req: LookupRequest) -> dict[str, Any]:
    """参保缴费记录: one record per month and insurance type (see sandbox.data)."""
    person = req.person("person")
    start, end = req.month("from_month"), req.month("to_month")
    if start is not None and end is not None and start > end:
        raise FieldProblem(("from_month",), "晚于截止年月")
    types = insurance_type_filter(req.get("insurance_types"))
    history = req.contributions.history(
        req.province.code, person.identifier, req.province.employers
    )
    records = select(
        history, start.compact() if start else None, end.compact() if end else None, types
    )
    return {
        "records": [
            {
                "month": Month(int(r.month[:4]), int(r.month[4:])),
                "insurance_type": r.insurance_type,
                "base": r.base,
                "employer_amount": r.employer_amount,
                "personal_amount": r.personal_amount,
                "employer_name": r.employer_name,
            }
            for r in records
        ],
        "months_paid": months_paid(records),
    }


@lookup("pension-payment-lookup")
def pension_payments(req: LookupRequest) -> dict[str, Any]:
    """养老金发放记录: about 40% of people draw a pension here; paid on a fixed day."""
    person = req.person("person")
    start, end = req.month_window(default_months=6)
    draws = req.draws(person.identifier)
    if not draws.chance(40):
        return {"payments": []}
    retired = req.anchor + -draws.between(3, 180)
    pay_day = 5 + int(req.province.code[:2]) % 16
    first_amount = amount(1800, 5200, draws)
    payments = []
    monthly = first_amount
    for month in months(max(start, retired), end):
        years = (month.index - retired.index) // 12
        monthly = (first_amount * Decimal("1.03") ** years).quantize(Decimal("0.01"))
        payments.append({"month": month, "amount": monthly, "paid_on": month_day(month, pay_day)})
    return {"monthly_amount": monthly, "payments": payments}


@lookup("social-insurance-certificate")
def insurance_certificate(req: LookupRequest) -> dict[str, Any]:
    """参保证明, issued at once: months paid per insurance type in the window."""
    person = req.person("person")
    types = insurance_type_filter(req.get("insurance_types")) or list(INSURANCE_TYPES[:3])
    start, end = req.month_window(default_months=24, cap=600)
    history = req.contributions.history(
        req.province.code, person.identifier, req.province.employers
    )
    last = max((r.month for r in history), default=None)
    periods = []
    for itype in types:
        paid = months_paid(select(history, start.compact(), end.compact(), [itype]))
        ever = any(r.insurance_type == itype for r in history)
        if not ever:
            status = "未参保"
        elif last == req.anchor.compact():
            status = "正常参保"
        else:
            status = "暂停缴费"
        periods.append({"insurance_type": itype, "months_paid": paid, "status": status})
    return {**issued_document(req, "SBZM", person), "periods": periods}


def _hrss_issuer(found: Found) -> str:
    return f"{found.province}人力资源和社会保障厅"


def _qualification_extras(found: Found) -> dict[str, Any]:
    return {"occupation": found.draws.pick(OCCUPATIONS), "level": str(found.draws.between(1, 5))}


simple(
    "professional-qualification-verification",
    number=lambda f: f"15{f.req.province.code[:2]}{f.issued_on.year}{f.draws.digits(8)}",
    issuer=_hrss_issuer,
    extras=_qualification_extras,
)

simple(
    "skill-certificate-verification",
    number=lambda f: f"S0000{f.req.province.code}{f.issued_on:%y}{f.draws.digits(9)}",
    issuer=lambda f: f"{f.req.province.city(f.draws.below(9))}职业技能等级认定中心",
    extras=_qualification_extras,
    years=(0, 6),
)


def _technician_extras(found: Found) -> dict[str, Any]:
    graduated = dt.date(found.issued_on.year, 7, 1)
    return {
        "school": f"{found.req.province.city(found.draws.below(9))}技师学院",
        "major": found.draws.pick(TECHNICIAN_MAJORS),
        "graduated_on": graduated,
    }


simple(
    "technician-diploma-verification",
    number=lambda f: f"{f.req.province.code[:4]}{f.issued_on.year}{f.draws.digits(5)}",
    issuer=_hrss_issuer,
    extras=_technician_extras,
)


def _employment_extras(found: Found) -> dict[str, Any]:
    status = found.draws.pick(("employed", "employed", "unemployed", "self-employed"))
    extras: dict[str, Any] = {"employment_status": status}
    if status == "unemployed":
        since = found.issued_on + dt.timedelta(days=found.draws.between(0, 300))
        extras["registered_unemployed_since"] = min(since, found.req.today)
    return extras


simple(
    "employment-certificate-verification",
    holder="person",
    number=lambda f: f"{f.req.province.code}{f.issued_on.year}{f.draws.digits(6)}",
    issuer=lambda f: f"{f.req.province.city(f.draws.below(9))}人力资源和社会保障局",
    extras=_employment_extras,
    years=(0, 8),
)
