"""Taxation (税务) lookups."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.lookups.base import (
    LookupRequest,
    amount,
    issued_document,
    lookup,
    month_day,
    months,
)
from sandbox.parties import Party
from sandbox.wire import Month

CENT = Decimal("0.01")
# Monthly withholding brackets after the 5000 threshold: (upper bound, rate, quick deduction).
BRACKETS: tuple[tuple[int, Decimal, int], ...] = (
    (3000, Decimal("0.03"), 0),
    (12000, Decimal("0.10"), 210),
    (25000, Decimal("0.20"), 1410),
    (35000, Decimal("0.25"), 2660),
    (55000, Decimal("0.30"), 4410),
    (80000, Decimal("0.35"), 7160),
    (10**9, Decimal("0.45"), 15160),
)


def withheld(income: Decimal, deductions: Decimal) -> Decimal:
    taxable = income - Decimal(5000) - deductions
    if taxable <= 0:
        return Decimal("0.00")
    for upper, rate, quick in BRACKETS:
        if taxable <= upper:
            return max(Decimal(0), taxable * rate - quick).quantize(CENT)
    raise AssertionError("unreachable")


@lookup("income-tax-record")
def income_tax(req: LookupRequest) -> dict[str, Any]:
    """个人所得税纳税记录 for the months asked (wages, now and then a service fee)."""
    person = req.person("person")
    start, end = req.month_window(required=True, cap=36)
    draws = req.draws(person.identifier)
    employed = draws.chance(70)
    salary = Decimal(draws.between(40, 400) * 100)
    deductions = Decimal(draws.pick((0, 1000, 2000, 3000)))
    withholder = (
        req.province.employers[draws.below(len(req.province.employers))]
        if (req.province.employers)
        else "某某有限公司"
    )
    records = []
    for month in months(start, end) if employed else ():
        monthly = req.draws(person.identifier, month.compact())
        income = salary + Decimal(monthly.between(0, 20) * 100)
        records.append(
            {
                "month": month,
                "income_type": "工资薪金",
                "income": income,
                "tax": withheld(income, deductions),
                "withholder": withholder,
            }
        )
        if monthly.chance(5):
            fee = amount(800, 20000, monthly)
            tax = ((fee - max(Decimal(800), fee * Decimal("0.2"))) * Decimal("0.2")).quantize(CENT)
            records.append(
                {
                    "month": month,
                    "income_type": "劳务报酬",
                    "income": fee,
                    "tax": max(tax, Decimal("0.00")),
                }
            )
    return {**issued_document(req, "SWJL", person), "records": records}


@lookup("tax-payment-certificate")
def tax_certificate(req: LookupRequest) -> dict[str, Any]:
    """完税证明 of an enterprise: VAT and surcharges monthly, income tax quarterly."""
    party = req.party()
    start, end = req.date_window(cap_days=366)
    draws = req.draws(party.identifier)
    vat_level = draws.between(5, 300) * 100
    taxes: list[dict[str, Any]] = []
    for month in months(Month(start.year, start.month), Month(end.year, end.month)):
        monthly = req.draws(party.identifier, month.compact())
        paid_on = month_day(month, 15)
        if not start <= paid_on <= end:
            continue
        vat = amount(vat_level // 2, vat_level, monthly)
        taxes.append({"tax_type": "增值税", "amount": vat, "paid_on": paid_on})
        taxes.append(
            {
                "tax_type": "城市维护建设税",
                "amount": (vat * Decimal("0.07")).quantize(CENT),
                "paid_on": paid_on,
            }
        )
        taxes.append(
            {
                "tax_type": "教育费附加",
                "amount": (vat * Decimal("0.03")).quantize(CENT),
                "paid_on": paid_on,
            }
        )
        if month.month in (1, 4, 7, 10):
            taxes.append(
                {
                    "tax_type": "企业所得税",
                    "amount": amount(vat_level // 4, vat_level, monthly),
                    "paid_on": paid_on,
                }
            )
    return {**_certificate_document(req, party), "taxes": taxes}


def _certificate_document(req: LookupRequest, party: Party) -> dict[str, Any]:
    document = issued_document(req, "WSZM", party)
    draws = req.draws("tax-number", party.identifier, req.today.isoformat())
    number = f"({req.today.year}){req.province.abbr}电证{draws.digits(7)}"
    return {**document, "document_number": number, "download_url": None}
