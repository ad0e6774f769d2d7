"""Contribution lookups: deterministic generated data, filters, arithmetic (REST side)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from sandbox.data import RATES, generate_history, month_index

GD = "/440000"
ITEM = "440000-RS-0101"
EMPLOYERS = ("甲公司", "乙公司")


def ids(count: int) -> list[str]:
    return [f"4401051990{n:06d}X" for n in range(count)]


def someone(province: str, *, with_records: bool) -> str:
    return next(
        i
        for i in ids(200)
        if bool(generate_history(province, i, EMPLOYERS, "202512")) == with_records
    )


async def lookup(
    rest: httpx.AsyncClient, auth: dict[str, str], sfzh: str, **conditions: Any
) -> dict[str, Any]:
    body = {"cxtj": {"cxr": {"xm": "李四", "sfzh": sfzh}, **conditions}}
    answer = await rest.post(f"{GD}/api/v1/cx/{ITEM}", json=body, headers=auth)
    assert answer.status_code == 200
    payload: dict[str, Any] = answer.json()
    assert payload["code"] == "0000", payload
    data: dict[str, Any] = payload["data"]
    return data


def test_about_seventy_percent_have_records() -> None:
    have = sum(bool(generate_history("440000", i, EMPLOYERS, "202512")) for i in ids(400))
    assert 240 <= have <= 320  # 60%..80%


def test_history_shape_and_arithmetic() -> None:
    for sfzh in ids(60):
        history = generate_history("510000", sfzh, EMPLOYERS, "202512")
        if not history:
            continue
        months = sorted({r.month for r in history})
        assert 12 <= len(months) <= 120
        assert month_index(months[-1]) - month_index(months[0]) == len(months) - 1
        assert months[-1] <= "202512"
        for record in history:
            assert record.base % 100 == 0
            assert Decimal(3000) <= record.base <= Decimal(30000)
            employer_rate, personal_rate = RATES[record.insurance_type]
            assert record.employer_amount == (record.base * employer_rate).quantize(Decimal("0.01"))
            assert record.personal_amount == (record.base * personal_rate).quantize(Decimal("0.01"))
            assert record.employer_name in EMPLOYERS
        types = {r.insurance_type for r in history}
        assert types in ({"110", "210", "310"}, {"110", "210", "310", "410", "510"})


def test_history_is_deterministic_and_per_province() -> None:
    sfzh = someone("440000", with_records=True)
    assert generate_history("440000", sfzh, EMPLOYERS, "202512") == generate_history(
        "440000", sfzh, EMPLOYERS, "202512"
    )
    assert generate_history("440000", sfzh, EMPLOYERS, "202512") != generate_history(
        "510000", sfzh, EMPLOYERS, "202512"
    )


async def test_lookup_is_deterministic(rest: httpx.AsyncClient, gd_auth: dict[str, str]) -> None:
    for sfzh in ids(8):
        first = await lookup(rest, gd_auth, sfzh)
        assert await lookup(rest, gd_auth, sfzh) == first
        assert first["jfys"] == len({r["ny"] for r in first["jl"]})


async def test_lookup_record_fields(rest: httpx.AsyncClient, gd_auth: dict[str, str]) -> None:
    data = next(d for d in [await lookup(rest, gd_auth, i) for i in ids(10)] if d["jl"])
    record = data["jl"][0]
    assert set(record) == {"ny", "xzlx", "jfjs", "dwjf", "grjf", "dwmc"}
    assert all(isinstance(v, str) for v in record.values())
    pension = next(r for r in data["jl"] if r["xzlx"] == "110")
    assert Decimal(pension["dwjf"]) == Decimal(pension["jfjs"]) * Decimal("0.16")
    assert Decimal(pension["grjf"]) == Decimal(pension["jfjs"]) * Decimal("0.08")
    assert pension["dwmc"].endswith("有限公司")


async def test_lookup_filters(rest: httpx.AsyncClient, gd_auth: dict[str, str]) -> None:
    for sfzh in ids(40):
        full = await lookup(rest, gd_auth, sfzh)
        if full["jfys"] >= 24:
            break
    months = sorted({r["ny"] for r in full["jl"]})
    ksny, jsny = months[3], months[14]
    window = await lookup(rest, gd_auth, sfzh, ksny=ksny, jsny=jsny)
    assert {r["ny"] for r in window["jl"]} == set(months[3:15])
    assert window["jfys"] == 12
    pension = await lookup(rest, gd_auth, sfzh, ksny=ksny, jsny=jsny, xzlx=["110"])
    assert {r["xzlx"] for r in pension["jl"]} == {"110"}
    assert len(pension["jl"]) == 12
    assert pension["jfys"] == 12
    single = await lookup(rest, gd_auth, sfzh, xzlx="210")
    assert {r["xzlx"] for r in single["jl"]} == {"210"}
    before = await lookup(rest, gd_auth, sfzh, jsny="199001")
    assert before == {"jl": [], "jfys": 0}


async def test_unknown_person_has_empty_answer(
    rest: httpx.AsyncClient, gd_auth: dict[str, str]
) -> None:
    nobody = someone("440000", with_records=False)
    assert await lookup(rest, gd_auth, nobody) == {"jl": [], "jfys": 0}


async def test_lookup_parameter_errors(rest: httpx.AsyncClient, gd_auth: dict[str, str]) -> None:
    async def code_of(cxtj: object, item: str = ITEM) -> str:
        answer = await rest.post(f"{GD}/api/v1/cx/{item}", json={"cxtj": cxtj}, headers=gd_auth)
        return str(answer.json()["code"])

    person = {"xm": "李四", "sfzh": "440105199000000001"}
    assert await code_of({"cxr": {"xm": "李四"}}) == "1001"
    assert await code_of({"cxr": person, "ksny": "2024-01"}) == "1001"
    assert await code_of({"cxr": person, "ksny": "202413"}) == "1001"
    assert await code_of({"cxr": person, "ksny": "202405", "jsny": "202401"}) == "1001"
    assert await code_of({"cxr": person, "xzlx": ["999"]}) == "1001"
    assert await code_of({"cxr": person}, item="440000-RS-0207") == "1002"  # an application
    assert await code_of({"cxr": person}, item="NOPE") == "1002"
    stats = (await rest.get("/_sandbox/stats")).json()
    assert stats["by_province"]["440000"]["lookups"] == 0
