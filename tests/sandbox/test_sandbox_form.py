"""form_sm3: signatures, timestamp window, nonce replay, A-code case lifecycle, lookups."""

from __future__ import annotations

import asyncio
import hmac
import re
import time
from typing import Any

import httpx
import pytest

from sandbox.form_sm3.sign import canonical_string
from sandbox.provinces import load_catalog
from sandbox.testing import create_app, form_fields
from tests.sandbox.conftest import ZJ, ZJ_APP, App

API = f"{ZJ}/open/api"
ID = "11010519491231002X"
TERMINAL = {"A0300", "A0501", "A0502", "A0600"}
ZJ_ITEMS = {item.kind.name: code for code, item in load_catalog().provinces["330000"].items.items()}
UNEMPLOYMENT = ZJ_ITEMS["unemployment_registration"]
CONTRIBUTIONS = ZJ_ITEMS["social-insurance-contributions"]


async def call(
    form: httpx.AsyncClient, method: str, biz: dict[str, Any] | None = None, **options: Any
) -> dict[str, Any]:
    path = options.pop("path", API)
    app: App = options.pop("app", ZJ_APP)
    fields = form_fields(method, biz, **app, **options)
    answer = await form.post(path, data=fields)
    assert answer.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = answer.json()
    assert answer.status_code == (500 if body["code"] == "50000" else 200)
    return body


def submission(serial: str, **form_data: Any) -> dict[str, Any]:
    data = form_data or {"applyUser": {"userName": "张三", "idCardNo": ID, "mobile": "13800138000"}}
    return {"itemCode": UNEMPLOYMENT, "bizSerial": serial, "formData": data}


async def force(form: httpx.AsyncClient, outcome: str, **extra: Any) -> None:
    change = {"outcomes": {outcome: 1}, **extra}
    (await form.put("/_sandbox/config", json=change)).raise_for_status()


async def wait_until(
    form: httpx.AsyncClient, case_no: str, codes: set[str], timeout: float = 3
) -> tuple[dict[str, Any], list[str]]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        answer = await call(form, "case.status", {"caseNo": case_no})
        assert answer["code"] == "0", answer
        data: dict[str, Any] = answer["data"]
        if not seen or seen[-1] != data["status"]:
            seen.append(data["status"])
        if data["status"] in codes:
            return data, seen
        assert time.monotonic() < deadline, seen
        await asyncio.sleep(0.01)


# --- signatures --------------------------------------------------------------------------------


def test_canonical_string_sorts_by_bytes_and_keeps_values_raw() -> None:
    fields = {"sign": "x", "nonce": "n", "Zeta": "1", "appKey": "k", "bizContent": '{"a":"中 &"}'}
    assert canonical_string(fields) == 'Zeta=1&appKey=k&bizContent={"a":"中 &"}&nonce=n'.encode()


def test_signature_matches_an_independent_hmac_sm3() -> None:
    fields = form_fields(
        "sys.ping", {}, app_key="k", secret="s3cret", timestamp_ms=1, nonce="a" * 16
    )
    material = canonical_string(fields)
    assert fields["sign"] == hmac.new(b"s3cret", material, "sm3").hexdigest()


async def test_ping_is_signed(form: httpx.AsyncClient) -> None:
    assert await call(form, "sys.ping") == {"code": "0", "msg": "success", "data": {"pong": True}}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"sign_with": "0" * 64}, "40002"),
        ({"app": {"app_key": "tongban-330000", "secret": "wrong"}}, "40002"),
        ({"app": {"app_key": "nobody", "secret": "x"}}, "40005"),
        ({"timestamp_ms": -301}, "40003"),  # seconds from now, made absolute below
        ({"timestamp_ms": 310}, "40003"),
        ({"nonce": "short"}, "40001"),
        ({"nonce": "has-dash-1234567890"}, "40001"),
    ],
)
async def test_refusals(form: httpx.AsyncClient, change: dict[str, Any], code: str) -> None:
    if "timestamp_ms" in change:
        change = {"timestamp_ms": int((time.time() + change["timestamp_ms"]) * 1000)}
    assert (await call(form, "sys.ping", **change))["code"] == code


async def test_tampering_after_signing_is_40002(form: httpx.AsyncClient) -> None:
    fields = form_fields("sys.ping", {}, **ZJ_APP)
    fields["bizContent"] = '{"x":1}'
    assert (await form.post(API, data=fields)).json()["code"] == "40002"
    fields = form_fields("sys.ping", {}, **ZJ_APP)
    fields["extra"] = "1"  # every field is signed, not only the documented ones
    assert (await form.post(API, data=fields)).json()["code"] == "40002"
    fields = form_fields("sys.ping", {}, **ZJ_APP)
    fields["sign"] = fields["sign"].upper()  # hex case does not matter
    assert (await form.post(API, data=fields)).json()["code"] == "0"


async def test_missing_fields_and_methods(form: httpx.AsyncClient) -> None:
    fields = form_fields("sys.ping", {}, **ZJ_APP)
    for name in ("appKey", "timestamp", "nonce", "sign", "bizContent"):
        partial = {k: v for k, v in fields.items() if k != name}
        body = (await form.post(API, data=partial)).json()
        assert body["code"] == "40001"
        assert name in body["msg"]
    fields["signMethod"] = "HMAC-SHA256"
    assert (await form.post(API, data=fields)).json()["code"] == "40002"
    assert (await call(form, "case.frobnicate"))["code"] == "40001"
    assert (await form.post("/999999/open/api", data={})).status_code == 404


async def test_nonce_replay_is_40004(form: httpx.AsyncClient) -> None:
    nonce = "replay0123456789abcd"
    assert (await call(form, "sys.ping", nonce=nonce))["code"] == "0"
    assert (await call(form, "sys.ping", nonce=nonce))["code"] == "40004"
    # Another province keeps its own nonces.
    other: App = {"app_key": "tongban-340000", "secret": "340000-sandbox-secret"}
    assert (await call(form, "sys.ping", nonce=nonce, path="/340000/open/api", app=other))[
        "code"
    ] == "0"
    # A request refused before the nonce check does not burn the nonce.
    fresh = "fresh0123456789abcdef"
    assert (await call(form, "sys.ping", nonce=fresh, sign_with="0" * 64))["code"] == "40002"
    assert (await call(form, "sys.ping", nonce=fresh))["code"] == "0"


async def test_nonces_expire_after_600_seconds() -> None:
    now = [1_780_000_000.0]
    app = create_app("form_sm3", step_seconds=1, clock=lambda: now[0])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:

        async def ping() -> str:
            fields = form_fields(
                "sys.ping", {}, timestamp_ms=int(now[0] * 1000), nonce="n" * 20, **ZJ_APP
            )
            return str((await client.post(API, data=fields)).json()["code"])

        assert await ping() == "0"
        now[0] += 599
        assert await ping() == "40004"
        now[0] += 2
        assert await ping() == "0"


# --- cases ---------------------------------------------------------------------------------


async def test_case_approved_with_iso_result(form: httpx.AsyncClient) -> None:
    await force(form, "approved")
    made = await call(form, "case.submit", submission("zj-1"))
    assert made["code"] == "0", made
    assert made["data"]["status"] == "A0100"
    assert made["data"]["statusName"] == "已收件"
    assert re.fullmatch(r"ZJ\d{13}", made["data"]["caseNo"])
    again = await call(form, "case.submit", submission("zj-1"))
    assert again["data"]["caseNo"] == made["data"]["caseNo"]
    data, seen = await wait_until(form, made["data"]["caseNo"], TERMINAL)
    path = ["A0100", "A0110", "A0200", "A0501"]
    assert [code for code in path if code in seen] == seen
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", data["updateTime"])
    result = data["result"]
    assert re.fullmatch(r"浙人社决〔\d{4}〕\d{5}号", result["docNo"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", result["finishDate"])
    assert result["regDate"] == result["finishDate"]
    assert result["regNo"]
    assert result["resultDesc"].startswith("张三：")


async def test_correction_supplement_and_withdrawal(form: httpx.AsyncClient) -> None:
    await force(form, "correction")
    made = (await call(form, "case.submit", submission("zj-bz")))["data"]
    data, _ = await wait_until(form, made["caseNo"], {"A0101"})
    assert data["statusName"] == "退回补正"
    assert data["reason"]
    answer = await call(form, "case.supplement", {"caseNo": made["caseNo"], "formData": {"x": 1}})
    assert answer["data"]["status"] == "A0200"
    again = await call(form, "case.supplement", {"caseNo": made["caseNo"], "formData": {"x": 1}})
    assert again["code"] == "40900"
    await wait_until(form, made["caseNo"], TERMINAL)
    late = await call(form, "case.withdraw", {"caseNo": made["caseNo"]})
    assert late["code"] == "40900"

    await force(form, "approved", step_seconds=60)
    other = (await call(form, "case.submit", submission("zj-cx")))["data"]
    withdrawn = await call(form, "case.withdraw", {"caseNo": other["caseNo"]})
    assert withdrawn["data"]["status"] == "A0600"
    assert withdrawn["data"]["statusName"] == "已撤回"


async def test_business_errors(form: httpx.AsyncClient) -> None:
    assert (await call(form, "case.status", {"caseNo": "ZJ2099010100001"}))["code"] == "40400"
    assert (await call(form, "case.status", {}))["code"] == "40010"
    not_open = {**submission("e1"), "itemCode": "ZJ.XX.9999"}
    assert (await call(form, "case.submit", not_open))["code"] == "40401"
    lookup_item = {**submission("e2"), "itemCode": CONTRIBUTIONS}
    assert (await call(form, "case.submit", lookup_item))["code"] == "40401"
    nobody = submission("e3", applyUser={"userName": "张三", "mobile": "13800138000"})
    refused = await call(form, "case.submit", nobody)
    assert refused["code"] == "40010"
    assert "idCardNo" in refused["msg"]
    assert (await call(form, "case.submit", {**submission("x" * 65)}))["code"] == "40010"
    assert (await call(form, "case.submit", {}))["code"] == "40010"
    # An organisation identified by its credit code anywhere will do.
    org = submission("org-1", applyOrg={"name": "某公司", "creditCode": "91440101MA5CN1X9A2"})
    assert (await call(form, "case.submit", org))["code"] == "0"


async def test_contributions_lookup_speaks_iso_months(form: httpx.AsyncClient) -> None:
    biz: dict[str, Any] = {}
    for n in range(30):
        biz = {
            "itemCode": CONTRIBUTIONS,
            "conditions": {"queryUser": {"userName": "李四", "idCardNo": f"3301061990{n:07d}X"}},
        }
        full = (await call(form, "data.query", biz))["data"]
        if full["payMonths"] >= 3:
            break
    record = full["list"][0]
    assert set(record) == {"payMonth", "insType", "payBase", "unitPay", "personPay", "unitName"}
    assert re.fullmatch(r"\d{4}-\d{2}", record["payMonth"])
    month = record["payMonth"]
    biz["conditions"] = {**biz["conditions"], "beginMonth": month, "endMonth": month}
    narrowed = (await call(form, "data.query", biz))["data"]
    assert narrowed["payMonths"] == 1
    biz["conditions"]["beginMonth"] = month.replace("-", "")
    wrong = await call(form, "data.query", biz)
    assert wrong["code"] == "40010"
    assert "beginMonth" in wrong["msg"]
    assert full.keys() == {"list", "payMonths"}


async def test_province_spelling_override(form: httpx.AsyncClient) -> None:
    """Fujian says `realName` where the family says `userName`."""
    fj: App = {"app_key": "tongban-350000", "secret": "350000-sandbox-secret"}
    fj_items = {i.kind.name: c for c, i in load_catalog().provinces["350000"].items.items()}
    biz = {
        "itemCode": fj_items["unemployment_registration"],
        "bizSerial": "fj-1",
        "formData": {"applyUser": {"userName": "张三", "idCardNo": ID}},
    }
    path = "/350000/open/api"
    refused = await call(form, "case.submit", biz, path=path, app=fj)
    assert refused["code"] == "40010"
    assert "realName" in refused["msg"]
    biz["formData"] = {"applyUser": {"realName": "张三", "idCardNo": ID}}
    assert (await call(form, "case.submit", biz, path=path, app=fj))["code"] == "0"
