"""soap_gbk: package checks, GBK, operations and case lifecycle."""

from __future__ import annotations

import asyncio
import re
import time
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest

from sandbox.clock import wire_datetime
from sandbox.soap_gbk.xmlio import child, to_element, to_value
from sandbox.testing import Package, read_soap_answer, soap_headers, soap_request

SERVICE = "/510000/services/XzfwService"
ID_NUMBER = "51010719880808123X"
TERMINAL = {"21", "40", "41", "50"}


async def call(
    soap: httpx.AsyncClient,
    operation: str,
    business_type: str,
    body: ET.Element | None = None,
    *,
    cid: str = "cid-1",
    **options: Any,
) -> Package:
    raw = soap_request(business_type, body, collaboration_id=cid, **options)
    answer = await soap.post(SERVICE, content=raw, headers=soap_headers(operation))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/xml; charset=GBK"
    assert answer.content.startswith(b'<?xml version="1.0" encoding="GBK"?>')
    return read_soap_answer(answer.content)


def element(tag: str, value: Any) -> ET.Element:
    made = to_element(tag, value)
    assert made is not None
    return made


def case_el(name: str = "张三", **extra: Any) -> ET.Element:
    return element(
        "Case", {"Data": {"SQR": {"XM": name, "SFZH": ID_NUMBER, "LXDH": "13800138000"}, **extra}}
    )


def body_of(package: Package, name: str) -> dict[str, Any]:
    found = child(package.body, name)
    assert found is not None, package.head
    value = to_value(found)
    assert isinstance(value, dict)
    return value


async def submit(
    soap: httpx.AsyncClient, cid: str, business_type: str = "YL03", name: str = "张三"
) -> str:
    answer = await call(soap, "submitCase", business_type, case_el(name), cid=cid)
    assert answer.head["ReturnCode"] == "0", answer.head
    reference = body_of(answer, "Case")["CaseNo"]
    assert isinstance(reference, str)
    return reference


async def query(soap: httpx.AsyncClient, reference: str) -> dict[str, Any]:
    answer = await call(
        soap,
        "queryCase",
        "QUERY",
        element("Case", {"CaseNo": reference}),
        cid=f"q-{time.monotonic_ns()}",
    )
    assert answer.head["ReturnCode"] == "0", answer.head
    return body_of(answer, "Case")


async def wait_until(
    soap: httpx.AsyncClient, reference: str, codes: set[str], timeout: float = 3
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        data = await query(soap, reference)
        if data["Status"] in codes:
            return data
        assert time.monotonic() < deadline, data
        await asyncio.sleep(0.01)


async def force(soap: httpx.AsyncClient, outcome: str, **extra: Any) -> None:
    answer = await soap.put("/_sandbox/config", json={"outcomes": {outcome: 1}, **extra})
    answer.raise_for_status()


# --- package checks -------------------------------------------------------------------------


async def test_ping_answers_head(soap: httpx.AsyncClient) -> None:
    answer = await call(soap, "ping", "PING", cid="ping-1")
    assert answer.head["ReturnCode"] == "0"
    assert answer.head["ReturnMsg"] == "成功"
    assert answer.head["SenderCode"] == "510000RSJ"
    assert answer.head["ReceiverCode"] == "TONGBAN0001"
    assert answer.head["CollaborationId"] == "ping-1"
    assert "AuthCode" not in answer.head
    assert re.fullmatch(r"\d{14}", answer.head["SendTime"])


async def test_bad_auth_code_is_1002(soap: httpx.AsyncClient) -> None:
    assert (await call(soap, "ping", "PING", auth="0" * 64)).head["ReturnCode"] == "1002"
    assert (await call(soap, "ping", "PING", secret="wrong")).head["ReturnCode"] == "1002"
    assert (await call(soap, "ping", "PING", sender="STRANGER01")).head["ReturnCode"] == "1002"


async def test_wrong_receiver_is_1003(soap: httpx.AsyncClient) -> None:
    assert (await call(soap, "ping", "PING", receiver="440000RSJ")).head["ReturnCode"] == "1003"


async def test_stale_send_time_is_1004(soap: httpx.AsyncClient) -> None:
    stale = wire_datetime(time.time() - 301)
    assert (await call(soap, "ping", "PING", send_time=stale)).head["ReturnCode"] == "1004"
    ahead = wire_datetime(time.time() + 400)
    assert (await call(soap, "ping", "PING", send_time=ahead)).head["ReturnCode"] == "1004"
    fine = wire_datetime(time.time() - 200)
    assert (await call(soap, "ping", "PING", send_time=fine)).head["ReturnCode"] == "0"


@pytest.mark.parametrize(
    "raw",
    [
        b"<not xml",
        b"\xff\xfe\x80 not gbk",
        '<?xml version="1.0" encoding="GBK"?><a>没有信封</a>'.encode("gbk"),
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>',
    ],
    ids=["not-well-formed", "not-gbk", "no-envelope", "entities"],
)
async def test_malformed_packages_are_1001(soap: httpx.AsyncClient, raw: bytes) -> None:
    answer = await soap.post(SERVICE, content=raw, headers=soap_headers("ping"))
    assert answer.status_code == 200
    package = read_soap_answer(answer.content)
    assert package.head["ReturnCode"] == "1001"
    assert package.head["ReturnMsg"]


async def test_unknown_operation_and_business_types(soap: httpx.AsyncClient) -> None:
    assert (await call(soap, "frobnicate", "PING")).head["ReturnCode"] == "2001"
    assert (await call(soap, "submitCase", "XX99", case_el())).head["ReturnCode"] == "2002"
    assert (await call(soap, "submitCase", "SB01", case_el())).head["ReturnCode"] == "2002"
    query = element("Query", {"CXR": {"XM": "张三", "SFZH": ID_NUMBER}})
    assert (await call(soap, "queryData", "YL03", query)).head["ReturnCode"] == "2002"
    case = element("Case", {"CaseNo": "SC2099010100001"})
    assert (await call(soap, "queryCase", "YL03", case)).head["ReturnCode"] == "2002"


async def test_required_fields_are_2001(soap: httpx.AsyncClient) -> None:
    no_id = element("Case", {"Data": {"SQR": {"XM": "张三"}}})
    answer = await call(soap, "submitCase", "YL03", no_id)
    assert answer.head["ReturnCode"] == "2001"
    assert "SFZH" in answer.head["ReturnMsg"]
    assert (await call(soap, "submitCase", "YL03", None)).head["ReturnCode"] == "2001"
    no_case_no = element("Case", {"Other": "x"})
    assert (await call(soap, "queryCase", "QUERY", no_case_no)).head["ReturnCode"] == "2001"
    missing = element("Case", {"CaseNo": "SC2099010100001"})
    assert (await call(soap, "queryCase", "QUERY", missing)).head["ReturnCode"] == "3001"


# --- cases ---------------------------------------------------------------------------------


async def test_submit_progress_and_gbk_round_trip(soap: httpx.AsyncClient) -> None:
    await force(soap, "approved")
    name = "欧阳䶮"  # 䶮 is outside GBK: it travels as a character reference
    reference = await submit(soap, "cid-gbk", name=name)
    assert re.fullmatch(r"SC\d{13}", reference)
    data = await wait_until(soap, reference, TERMINAL)
    assert data["Status"] == "40"
    assert data["StatusDesc"] == "办结·准予"
    result = data["Result"]
    assert result["JGSM"].startswith(f"{name}：")
    assert re.fullmatch(r"川人社决〔\d{4}〕\d{5}号", result["WSBH"])
    assert re.fullmatch(r"\d{8}", result["BJRQ"])
    assert {"LXHBH", "ZYYS", "GRZHYE", "TCJJZYE"} <= set(result)
    assert re.fullmatch(r"\d+\.\d{2}", result["GRZHYE"])


async def test_submit_is_idempotent_by_collaboration_id(soap: httpx.AsyncClient) -> None:
    first = await submit(soap, "cid-same", business_type="JY02")
    assert await submit(soap, "cid-same", business_type="JY02") == first
    assert await submit(soap, "cid-other", business_type="JY02") != first
    stats = (await soap.get("/_sandbox/stats")).json()
    assert stats["by_province"]["510000"]["cases"] == 2
    assert stats["by_province"]["510000"]["replays"] == 1


async def test_refused_case_has_reason(soap: httpx.AsyncClient) -> None:
    await force(soap, "rejected")
    data = await wait_until(soap, await submit(soap, "cid-41"), TERMINAL)
    assert data["Status"] == "41"
    assert data["Reason"]
    assert "LXHBH" not in data["Result"]


async def test_correction_and_supplement(soap: httpx.AsyncClient) -> None:
    await force(soap, "correction")
    reference = await submit(soap, "cid-31", business_type="JY02")
    data = await wait_until(soap, reference, {"31"})
    assert data["Reason"]
    supplement = element("Case", {"CaseNo": reference, "Data": {"ZM": "解除劳动关系证明"}})
    answer = await call(soap, "supplementCase", "QUERY", supplement, cid="cid-31-bz")
    assert answer.head["ReturnCode"] == "0"
    assert body_of(answer, "Case")["Status"] == "30"
    data = await wait_until(soap, reference, TERMINAL)
    assert data["Status"] == "40"
    assert {"SYDJBH", "DJRQ"} <= set(data["Result"])
    again = await call(soap, "supplementCase", "QUERY", supplement, cid="cid-31-bz2")
    assert again.head["ReturnCode"] == "3002"


async def test_correction_times_out_to_21(soap: httpx.AsyncClient) -> None:
    await force(soap, "correction")
    data = await wait_until(soap, await submit(soap, "cid-21"), TERMINAL)
    assert data["Status"] == "21"
    assert "逾期未补正" in data["Reason"]


async def test_withdraw_before_and_after_closing(soap: httpx.AsyncClient) -> None:
    await force(soap, "approved", step_seconds=60)
    open_case = await submit(soap, "cid-50")
    answer = await call(
        soap, "withdrawCase", "QUERY", element("Case", {"CaseNo": open_case}), cid="cid-50-cx"
    )
    assert answer.head["ReturnCode"] == "0"
    assert body_of(answer, "Case")["Status"] == "50"
    await force(soap, "approved", step_seconds=0)
    closed = await submit(soap, "cid-40")
    answer = await call(
        soap, "withdrawCase", "QUERY", element("Case", {"CaseNo": closed}), cid="cid-40-cx"
    )
    assert answer.head["ReturnCode"] == "3002"
    assert (await query(soap, closed))["Status"] == "40"


# --- lookups -------------------------------------------------------------------------------


async def test_query_data_contributions(soap: httpx.AsyncClient) -> None:
    for n in range(20):
        conditions = {"CXR": {"XM": "王五", "SFZH": f"51010719880808{n:03d}X"}}
        answer = await call(soap, "queryData", "SB01", element("Query", conditions))
        assert answer.head["ReturnCode"] == "0"
        result = body_of(answer, "Result")
        if result["JFYS"] != "0":
            break
    records = result["JL"]
    assert isinstance(records, list)
    assert set(records[0]) == {"NY", "XZLX", "JFJS", "DWJF", "GRJF", "DWMC"}
    assert any("有限公司" in r["DWMC"] for r in records)
    month = records[0]["NY"]
    window = {**conditions, "KSNY": month, "JSNY": month, "XZLX": ["110", "310"]}
    answer = await call(soap, "queryData", "SB01", element("Query", window))
    narrowed = body_of(answer, "Result")
    assert narrowed["JFYS"] == "1"
    assert {r["XZLX"] for r in narrowed["JL"]} == {"110", "310"}
    bad = await call(soap, "queryData", "SB01", element("Query", {**conditions, "KSNY": "2024"}))
    assert bad.head["ReturnCode"] == "2001"
