"""The /_sandbox control API and fault switches, on both family servers."""

from __future__ import annotations

import time

import httpx
import pytest

from sandbox.testing import read_soap_answer, soap_headers, soap_request

GD = "/440000"
SERVICE = "/510000/services/XzfwService"


async def test_health(rest: httpx.AsyncClient, soap: httpx.AsyncClient) -> None:
    assert (await rest.get("/_sandbox/health")).json() == {
        "status": "ok",
        "family": "rest_oauth",
        "provinces": [
            "110000",
            "310000",
            "320000",
            "370000",
            "420000",
            "430000",
            "440000",
            "500000",
        ],
    }
    health = (await soap.get("/_sandbox/health")).json()
    assert (health["family"], len(health["provinces"])) == ("soap_gbk", 8)
    assert "510000" in health["provinces"]


async def test_config_defaults_and_changes(rest: httpx.AsyncClient) -> None:
    config = (await rest.get("/_sandbox/config")).json()
    assert config["family"] == "rest_oauth"
    assert config["step_seconds"] == 0.05
    assert config["outcomes"] == {
        "approved": 0.8,
        "correction": 0.1,
        "rejected": 0.05,
        "not_accepted": 0.05,
    }
    assert config["latency_ms"] == 0
    assert config["error_rate"] == 0
    assert config["hang"] is False
    assert (config["slow_drip"], config["malformed_rate"], config["wrong_encoding_rate"]) == (
        0,
        0,
        0,
    )
    assert config["down"] is False
    assert config["callbacks_enabled"] is True
    assert config["provinces"]["440000"]["token_ttl_seconds"] == 600

    changed = await rest.put("/_sandbox/config", json={"step_seconds": 0.2, "latency_ms": 5})
    assert changed.status_code == 200
    assert changed.json()["step_seconds"] == 0.2
    assert changed.json()["provinces"]["440000"]["latency_ms"] == 5

    scoped = await rest.put(
        "/_sandbox/config", json={"province": "440000", "outcomes": {"rejected": 1}}
    )
    assert scoped.json()["province"] == "440000"
    assert scoped.json()["outcomes"] == {
        "approved": 0,
        "correction": 0,
        "rejected": 1,
        "not_accepted": 0,
    }
    assert (await rest.get("/_sandbox/config")).json()["outcomes"]["approved"] == 0.8

    (await rest.post("/_sandbox/reset")).raise_for_status()
    assert (await rest.get("/_sandbox/config")).json()["step_seconds"] == 0.05


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 2},
        {"outcomes": {"approved": 0}},
        {"outcomes": {"sometimes": 1}},
        {"latency_ms": -1},
        {"no_such_setting": True},
        {"province": "999999", "hang": True},
    ],
)
async def test_config_validation(rest: httpx.AsyncClient, body: dict[str, object]) -> None:
    answer = await rest.put("/_sandbox/config", json=body)
    assert answer.status_code in (404, 422)


async def test_cases_listing_has_no_personal_data(
    rest: httpx.AsyncClient, gd_auth: dict[str, str]
) -> None:
    body = {
        "sxbm": "440000-RS-0207",
        "ywlsh": "list-1",
        "bdsj": {"sqr": {"xm": "赵六", "sfzh": "440105199001011234"}},
    }
    made = (await rest.post(f"{GD}/api/v1/bj/sb", json=body, headers=gd_auth)).json()["data"]
    listing = await rest.get("/_sandbox/440000/cases")
    assert listing.status_code == 200
    [case] = listing.json()
    assert case["reference"] == made["bjbh"]
    assert case["serial"] == "list-1"
    assert case["status_code"] in {"1", "3", "4", "6", "8", "11", "12"}
    assert case["outcome"] in {"approved", "correction", "rejected", "not_accepted"}
    assert "440105199001011234" not in listing.text
    assert "赵六" not in listing.text
    assert (await rest.get("/_sandbox/510000/cases")).status_code == 404


async def test_stats_count_and_reset(rest: httpx.AsyncClient, gd_auth: dict[str, str]) -> None:
    for serial in ("a", "b", "a", "a"):
        body = {
            "sxbm": "440000-RS-0207",
            "ywlsh": serial,
            "bdsj": {"sqr": {"xm": "赵六", "sfzh": "440105199001011234"}},
        }
        await rest.post(f"{GD}/api/v1/bj/sb", json=body, headers=gd_auth)
    stats = (await rest.get("/_sandbox/stats")).json()
    assert (stats["cases"], stats["submissions"], stats["replays"]) == (2, 4, 2)
    (await rest.post("/_sandbox/reset")).raise_for_status()
    stats = (await rest.get("/_sandbox/stats")).json()
    assert (stats["cases"], stats["submissions"], stats["replays"]) == (0, 0, 0)
    assert (await rest.get("/_sandbox/440000/cases")).json() == []


async def test_error_rate_one_is_a_system_error(
    rest: httpx.AsyncClient, soap: httpx.AsyncClient
) -> None:
    for client in (rest, soap):
        (await client.put("/_sandbox/config", json={"error_rate": 1})).raise_for_status()
    answer = await rest.get(f"{GD}/api/v1/ping")
    assert answer.status_code == 500
    assert answer.json() == {"code": "5000", "msg": "系统错误", "data": None}

    raw = soap_request("PING", collaboration_id="fault-1")
    answer = await soap.post(SERVICE, content=raw, headers=soap_headers("ping"))
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "text/xml; charset=GBK"
    text = answer.content.decode("gbk")
    assert "<soapenv:Fault>" in text
    assert "<faultstring>9999" in text

    assert (await rest.get("/_sandbox/health")).status_code == 200  # never the control API
    assert (await soap.get("/_sandbox/stats")).status_code == 200


async def test_faults_scoped_to_a_province(rest: httpx.AsyncClient) -> None:
    scoped = {"province": "440000", "error_rate": 1}
    (await rest.put("/_sandbox/config", json=scoped)).raise_for_status()
    assert (await rest.get(f"{GD}/api/v1/ping")).status_code == 500
    (await rest.put("/_sandbox/config", json={**scoped, "error_rate": 0})).raise_for_status()
    assert (await rest.get(f"{GD}/api/v1/ping")).status_code == 200


async def test_latency(rest: httpx.AsyncClient) -> None:
    (await rest.put("/_sandbox/config", json={"latency_ms": 300})).raise_for_status()
    started = time.monotonic()
    assert (await rest.get(f"{GD}/api/v1/ping")).status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    await rest.get("/_sandbox/health")
    assert time.monotonic() - started < 0.3


async def test_hang_holds_until_released(rest: httpx.AsyncClient, soap: httpx.AsyncClient) -> None:
    (await rest.put("/_sandbox/config", json={"hang": True})).raise_for_status()
    with pytest.raises(httpx.ReadTimeout):
        await rest.get(f"{GD}/api/v1/ping", timeout=0.3)
    (await soap.put("/_sandbox/config", json={"hang": True})).raise_for_status()
    raw = soap_request("PING", collaboration_id="hang-1")
    with pytest.raises(httpx.ReadTimeout):
        await soap.post(SERVICE, content=raw, headers=soap_headers("ping"), timeout=0.3)
    (await rest.put("/_sandbox/config", json={"hang": False})).raise_for_status()
    assert (await rest.get(f"{GD}/api/v1/ping", timeout=2)).status_code == 200
    (await soap.put("/_sandbox/config", json={"hang": False})).raise_for_status()
    answer = await soap.post(SERVICE, content=raw, headers=soap_headers("ping"), timeout=2)
    assert read_soap_answer(answer.content).head["ReturnCode"] == "0"
