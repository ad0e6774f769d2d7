"""rest_oauth: submitting, progression, idempotency, corrections, withdrawals."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import httpx
import pytest

GD = "/440000"
PENSION = "440000-RS-0315"
UNEMPLOYMENT = "440000-RS-0207"
TERMINAL = {"4", "11", "12", "13"}


def case_body(serial: str, item: str = PENSION, name: str = "张三") -> dict[str, Any]:
    return {
        "sxbm": item,
        "ywlsh": serial,
        "sjly": "TONGBAN",
        "bdsj": {
            "sqr": {"xm": name, "sfzh": "11010519491231002X", "lxdh": "13800138000"},
            "destination_employer": "广州市某某科技有限公司",
        },
    }


async def force(rest: httpx.AsyncClient, outcome: str, **extra: Any) -> None:
    answer = await rest.put("/_sandbox/config", json={"outcomes": {outcome: 1}, **extra})
    answer.raise_for_status()


async def submit(
    rest: httpx.AsyncClient, auth: dict[str, str], serial: str, item: str = PENSION
) -> dict[str, Any]:
    answer = await rest.post(f"{GD}/api/v1/bj/sb", json=case_body(serial, item), headers=auth)
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    assert body["code"] == "0000", body
    data: dict[str, Any] = body["data"]
    return data


async def status(rest: httpx.AsyncClient, auth: dict[str, str], ref: str) -> dict[str, Any]:
    answer = await rest.get(f"{GD}/api/v1/bj/{ref}", headers=auth)
    body: dict[str, Any] = answer.json()
    assert body["code"] == "0000", body
    data: dict[str, Any] = body["data"]
    return data


async def wait_until(
    rest: httpx.AsyncClient, auth: dict[str, str], ref: str, codes: set[str], timeout: float = 3
) -> tuple[dict[str, Any], list[str]]:
    """Polls until the case's zt is in `codes`; answers the data and the zt values seen."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        data = await status(rest, auth, ref)
        if not seen or seen[-1] != data["zt"]:
            seen.append(data["zt"])
        if data["zt"] in codes:
            return data, seen
        assert time.monotonic() < deadline, f"stuck at {seen}"
        await asyncio.sleep(0.01)


def in_order(seen: list[str], path: list[str]) -> bool:
    position = 0
    for code in seen:
        if code not in path[position:]:
            return False
        position = path.index(code, position)
    return True


@pytest.mark.parametrize(
    ("outcome", "path"),
    [
        ("approved", ["1", "3", "8", "11"]),
        ("rejected", ["1", "3", "8", "12"]),
        ("not_accepted", ["1", "4"]),
    ],
)
async def test_case_progresses_to_its_outcome(
    rest: httpx.AsyncClient, gd_auth: dict[str, str], outcome: str, path: list[str]
) -> None:
    await force(rest, outcome)
    made = await submit(rest, gd_auth, f"serial-{outcome}")
    assert made["zt"] == "1"
    assert made["ztms"] == "已接件"
    assert re.fullmatch(r"GD\d{8}\d{5}", made["bjbh"])
    data, seen = await wait_until(rest, gd_auth, made["bjbh"], TERMINAL)
    assert seen[0] == "1"
    assert data["zt"] == path[-1]
    assert in_order(seen, path)
    assert re.fullmatch(r"\d{14}", data["gxsj"])
    if outcome == "not_accepted":
        assert data["bjjg"] is None
        assert data["bzyy"]
    else:
        result = data["bjjg"]
        assert re.fullmatch(r"粤人社决〔\d{4}〕\d{5}号", result["wsbh"])
        assert re.fullmatch(r"\d{8}", result["bjrq"])
        assert result["jgsm"].startswith("张三：")


async def test_pension_transfer_result_has_item_extras(
    rest: httpx.AsyncClient, gd_auth: dict[str, str]
) -> None:
    await force(rest, "approved")
    made = await submit(rest, gd_auth, "pension-1")
    data, _ = await wait_until(rest, gd_auth, made["bjbh"], TERMINAL)
    result = data["bjjg"]
    assert result["lxhbh"]
    assert isinstance(result["zyys"], int)
    assert result["zyys"] >= 12
    assert re.fullmatch(r"\d+\.\d{2}", result["grzhye"])
    assert re.fullmatch(r"\d+\.\d{2}", result["tcjjzye"])


async def test_unemployment_result_has_registration(
    rest: httpx.AsyncClient, gd_auth: dict[str, str]
) -> None:
    await force(rest, "approved")
    made = await submit(rest, gd_auth, "unemployment-1", item=UNEMPLOYMENT)
    data, _ = await wait_until(rest, gd_auth, made["bjbh"], TERMINAL)
    result = data["bjjg"]
    assert result["sydjbh"]
    assert result["djrq"] == result["bjrq"]
    assert "lxhbh" not in result


async def test_same_serial_is_the_same_case(
    rest: httpx.AsyncClient, gd_auth: dict[str, str]
) -> None:
    first = await submit(rest, gd_auth, "serial-dup")
    second = await submit(rest, gd_auth, "serial-dup")
    other = await submit(rest, gd_auth, "serial-other")
    assert second["bjbh"] == first["bjbh"]
    assert other["bjbh"] != first["bjbh"]
    stats = (await rest.get("/_sandbox/stats")).json()
    assert stats["cases"] == 2
    assert stats["submissions"] == 3
    assert stats["replays"] == 1
    assert stats["by_province"]["440000"] == {
        "cases": 2,
        "submissions": 3,
        "replays": 1,
        "lookups": 0,
    }


async def test_correction_then_supplement_closes_approved(
    rest: httpx.AsyncClient, gd_auth: dict[str, str]
) -> None:
    await force(rest, "correction")
    made = await submit(rest, gd_auth, "serial-bz")
    data, _ = await wait_until(rest, gd_auth, made["bjbh"], {"6"})
    assert data["bzyy"]
    answer = await rest.post(
        f"{GD}/api/v1/bj/{made['bjbh']}/bz",
        json={"bdsj": {"contribution_certificate": "已补充"}},
        headers=gd_auth,
    )
    assert answer.json()["code"] == "0000"
    assert answer.json()["data"]["zt"] == "8"
    data, _ = await wait_until(rest, gd_auth, made["bjbh"], TERMINAL)
    assert data["zt"] == "11"
    assert data["bjjg"]["wsbh"]


async def test_correction_without_supplement_ends_not_accepted(
    rest: httpx.AsyncClient, gd_auth: dict[str, str]
) -> None:
    await force(rest, "correction")
    made = await submit(rest, gd_auth, "serial-bz-late")
    data, seen = await wait_until(rest, gd_auth, made["bjbh"], TERMINAL)
    assert data["zt"] == "4"
    assert "逾期未补正" in data["bzyy"]
    assert in_order(seen, ["1", "3", "6", "4"])


async def test_supplement_refused_outside_correction(
    rest: httpx.AsyncClient, gd_auth: dict[str, str]
) -> None:
    await force(rest, "approved", step_seconds=60)
    made = await submit(rest, gd_auth, "serial-no-bz")
    answer = await rest.post(
        f"{GD}/api/v1/bj/{made['bjbh']}/bz", json={"bdsj": {}}, headers=gd_auth
    )
    assert answer.status_code == 200
    assert answer.json()["code"] == "1001"


async def test_withdrawal_before_closing(rest: httpx.AsyncClient, gd_auth: dict[str, str]) -> None:
    await force(rest, "approved", step_seconds=60)
    made = await submit(rest, gd_auth, "serial-cx")
    answer = await rest.post(f"{GD}/api/v1/bj/{made['bjbh']}/cx", headers=gd_auth)
    assert answer.json()["code"] == "0000"
    assert answer.json()["data"]["zt"] == "13"
    assert answer.json()["data"]["ztms"] == "撤件"
    again = await rest.post(f"{GD}/api/v1/bj/{made['bjbh']}/cx", headers=gd_auth)
    assert again.json()["data"]["zt"] == "13"
    assert (await status(rest, gd_auth, made["bjbh"]))["zt"] == "13"


async def test_withdrawal_after_closing_is_refused(
    rest: httpx.AsyncClient, gd_auth: dict[str, str]
) -> None:
    await force(rest, "approved")
    made = await submit(rest, gd_auth, "serial-cx-late")
    await wait_until(rest, gd_auth, made["bjbh"], TERMINAL)
    answer = await rest.post(f"{GD}/api/v1/bj/{made['bjbh']}/cx", headers=gd_auth)
    assert answer.json()["code"] == "1001"
    assert (await status(rest, gd_auth, made["bjbh"]))["zt"] == "11"


async def test_parameter_and_item_errors(rest: httpx.AsyncClient, gd_auth: dict[str, str]) -> None:
    async def code_of(body: object) -> str:
        answer = await rest.post(f"{GD}/api/v1/bj/sb", json=body, headers=gd_auth)
        assert answer.status_code == 200
        return str(answer.json()["code"])

    no_id = case_body("e1")
    del no_id["bdsj"]["sqr"]["sfzh"]
    assert await code_of(no_id) == "1001"
    no_serial = case_body("e2")
    del no_serial["ywlsh"]
    assert await code_of(no_serial) == "1001"
    assert await code_of(case_body("x" * 65)) == "1001"
    assert await code_of([1, 2]) == "1001"
    assert await code_of(case_body("e3", item="440000-RS-9999")) == "1002"
    assert await code_of(case_body("e4", item="440000-RS-0101")) == "1002"  # a lookup item
    missing = await rest.get(f"{GD}/api/v1/bj/GD2099010199999", headers=gd_auth)
    assert missing.json()["code"] == "2001"
    stats = (await rest.get("/_sandbox/stats")).json()
    assert stats["cases"] == 0
