"""Medical insurance (医疗保障) lookups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sandbox.data import Draws
from sandbox.lookups.base import LookupRequest, amount, issued_document, lookup, months
from sandbox.parties import Party
from sandbox.wire import Month

# Well-known hospitals that treat patients from other provinces: (province, name).
TREATMENT_HOSPITALS: tuple[tuple[str, str], ...] = (
    ("110000", "北京协和医院"),
    ("110000", "中国人民解放军总医院"),
    ("310000", "复旦大学附属华山医院"),
    ("310000", "上海交通大学医学院附属瑞金医院"),
    ("440000", "中山大学附属第一医院"),
    ("510000", "四川大学华西医院"),
    ("330000", "浙江大学医学院附属第一医院"),
    ("420000", "华中科技大学同济医学院附属同济医院"),
    ("430000", "中南大学湘雅医院"),
    ("610000", "西安交通大学第一附属医院"),
    ("410000", "郑州大学第一附属医院"),
    ("370000", "山东大学齐鲁医院"),
    ("320000", "江苏省人民医院"),
    ("500000", "重庆医科大学附属第一医院"),
)
LEVELS = ("三级甲等", "三级甲等", "三级乙等", "二级甲等", "二级乙等", "一级")
KINDS = ("第一人民医院", "第二人民医院", "中医院", "妇幼保健院", "人民医院", "社区卫生服务中心")


def _enrolment(req: LookupRequest, party: Party) -> dict[str, Any]:
    """Everyone insured here has one enrolment: employee (with an account) or resident."""
    draws = Draws("medical-enrolment", req.province.code, party.identifier)
    employee = draws.chance(65)
    since = req.anchor + -draws.between(6, 240)
    status = draws.pick(("active",) * 8 + ("suspended", "terminated"))
    enrolment: dict[str, Any] = {
        "province": req.province.code,
        "scheme": "employee" if employee else "resident",
        "status": status,
        "insured_since": since,
    }
    if employee:
        enrolment["account_balance"] = amount(0, 30000, draws)
    return enrolment


@lookup("medical-insurance-enrolment-lookup")
def enrolments(req: LookupRequest) -> dict[str, Any]:
    return {"enrolments": [_enrolment(req, req.person("person"))]}


@lookup("medical-insurance-certificate")
def certificate(req: LookupRequest) -> dict[str, Any]:
    """参保凭证, issued at once."""
    person = req.person("person")
    enrolment = _enrolment(req, person)
    insured = req.anchor.index - enrolment["insured_since"].index + 1
    document = issued_document(req, "YBPZ", person)
    return {**document, "scheme": enrolment["scheme"], "insured_months": insured}


@lookup("out-of-province-settlement-lookup")
def settlements(req: LookupRequest) -> dict[str, Any]:
    """异地就医结算记录: a few settlements a year for some people, outside this province."""
    person = req.person("person")
    start, end = req.date_window()
    rate = Draws("settlement-rate", req.province.code, person.identifier).below(12)
    found = []
    for month in months(Month(start.year, start.month), Month(end.year, end.month)):
        draws = req.draws(person.identifier, month.compact())
        if draws.below(100) >= rate:
            continue
        day = dt.date(month.year, month.month, draws.between(1, 28))
        if not start <= day <= end:
            continue
        others = [h for h in TREATMENT_HOSPITALS if h[0] != req.province.code]
        province, hospital = draws.pick(others)
        total = amount(300, 60000, draws)
        fund = (total * Decimal(draws.between(45, 80)) / 100).quantize(Decimal("0.01"))
        found.append(
            {
                "settled_on": day,
                "hospital": hospital,
                "treatment_province": province,
                "total": total,
                "fund_paid": fund,
                "self_paid": total - fund,
            }
        )
    return {"settlements": found}


@lookup("designated-institution-lookup")
def institutions(req: LookupRequest) -> dict[str, Any]:
    """定点医药机构: the province's designated hospitals, by city and keyword."""
    req.party()
    city = req.text("city")
    keyword = req.text("keyword")
    cities = [city] if city else list(req.province.cities[:3] or (req.province.name,))
    found = []
    for place in cities:
        draws = req.draws("institutions", place)
        for kind in KINDS:
            if not draws.chance(80):
                continue
            name = f"{place}{kind}"
            if keyword and keyword not in name:
                continue
            level = "一级" if kind == "社区卫生服务中心" else draws.pick(LEVELS[:5])
            found.append(
                {
                    "name": name,
                    "province": req.province.code,
                    "level": level,
                    "inpatient": kind != "社区卫生服务中心",
                    "outpatient": True,
                }
            )
    return {"institutions": found}
