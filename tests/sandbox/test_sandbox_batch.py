"""batch_callback: Basic auth, batches, runs, polling, signed callbacks with retries."""

from __future__ import annotations

import asyncio
import hmac
import re
import time
from typing import Any

import httpx
import pytest

from sandbox.provinces import load_catalog
from sandbox.testing import basic_auth
from tests.sandbox.conftest import TJ, TJ_AUTH, Receiver

ID = "11010519491231002X"
TERMINAL = {"APPROVED", "DENIED", "REFUSED", "WITHDRAWN"}
TJ_ITEMS = {i.kind.name: c for c, i in load_catalog().provinces["120000"].items.items()}
UNEMPLOYMENT = TJ_ITEMS["unemployment_registration"]
PENSION = TJ_ITEMS["pension_transfer"]
CONTRIBUTIONS = TJ_ITEMS["social-insurance-contributions"]
SECRET = "120000-sandbox-secret"


def entry(serial: str, item: str = UNEMPLOYMENT, **payload: Any) -> dict[str, Any]:
    body = payload or {"shenqingren": {"xingming": "张三", "zhengjianhaoma": ID}}
    return {"serialNo": serial, "itemCode": item, "payload": body}


async def send(batch: httpx.AsyncClient, *entries: dict[str, Any]) -> dict[str, Any]:
    answer = await batch.post(
        f"{TJ}/batches", json={"batchNo": "B1", "items": list(entries)}, headers=TJ_AUTH
    )
    assert answer.status_code == 202, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def poll(batch: httpx.AsyncClient, ticket: str) -> dict[str, Any]:
    answer = await batch.get(f"{TJ}/tickets/{ticket}", headers=TJ_AUTH)
    assert answer.status_code == 200, answer.text
    doc: dict[str, Any] = answer.json()
    return doc


async def configure(batch: httpx.AsyncClient, **change: Any) -> None:
    (await batch.put("/_sandbox/config", json=change)).raise_for_status()


async def run(batch: httpx.AsyncClient, times: int = 1) -> None:
    for _ in range(times):
        (await batch.post("/_sandbox/run", params={"province": "120000"})).raise_for_status()


async def subscribe(batch: httpx.AsyncClient, url: str) -> None:
    answer = await batch.put(f"{TJ}/subscription", json={"callbackUrl": url}, headers=TJ_AUTH)
    assert answer.json() == {"callbackUrl": url}


async def test_basic_auth(batch: httpx.AsyncClient) -> None:
    assert (await batch.get(f"{TJ}/health", headers=TJ_AUTH)).json() == {"status": "ok"}
    for headers in ({}, basic_auth("tongban-120000", "wrong"), basic_auth("nobody", SECRET)):
        answer = await batch.get(f"{TJ}/health", headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "E1002"
    # Credentials are per province.
    assert (await batch.get("/650000/health", headers=TJ_AUTH)).status_code == 401
    assert (await batch.get("/999999/health", headers=TJ_AUTH)).status_code == 404


async def test_batch_accepts_and_rejects_per_item(batch: httpx.AsyncClient) -> None:
    nobody = entry("s3", shenqingren={"xingming": "张三"})
    answer = await send(
        batch, entry("s1"), entry("s2", item="TJ_99999"), nobody, entry("s4", item=CONTRIBUTIONS)
    )
    assert answer["batchNo"] == "B1"
    [accepted] = answer["accepted"]
    assert accepted["serialNo"] == "s1"
    assert accepted["status"] == "PENDING"
    assert re.fullmatch(r"TJ\d{13}", accepted["ticket"])
    rejected = {r["serialNo"]: r["code"] for r in answer["rejected"]}
    assert rejected == {"s2": "E1005", "s3": "E1001", "s4": "E1005"}
    assert "zhengjianhaoma" in answer["rejected"][1]["message"]
    again = await send(batch, entry("s1"), entry("s5"))
    assert again["accepted"][0]["ticket"] == accepted["ticket"]
    assert again["accepted"][1]["ticket"] != accepted["ticket"]
    stats = (await batch.get("/_sandbox/stats")).json()
    assert (stats["cases"], stats["replays"]) == (2, 1)


@pytest.mark.parametrize(
    "body",
    [
        {"items": [{"serialNo": "a", "itemCode": "x", "payload": {}}]},
        {"batchNo": "B", "items": []},
        {"batchNo": "B", "items": [{"itemCode": "x"}]},
        {"batchNo": "B", "items": [{"serialNo": "s", "itemCode": "x"}] * 101},
        {"batchNo": "x" * 65, "items": [{"serialNo": "s"}]},
        [1, 2],
    ],
)
async def test_invalid_batches_are_400(batch: httpx.AsyncClient, body: object) -> None:
    answer = await batch.post(f"{TJ}/batches", json=body, headers=TJ_AUTH)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "E1001"


async def test_one_step_per_run(batch: httpx.AsyncClient) -> None:
    await configure(batch, step_seconds=60, outcomes={"approved": 1})
    [made] = (await send(batch, entry("run-1", item=PENSION)))["accepted"]
    seen = [(await poll(batch, made["ticket"]))["status"]]
    for _ in range(4):
        await run(batch)
        seen.append((await poll(batch, made["ticket"]))["status"])
    assert seen == ["PENDING", "ACCEPTED", "PROCESSING", "APPROVED", "APPROVED"]
    doc = await poll(batch, made["ticket"])
    assert doc["serialNo"] == "run-1"
    assert doc["statusName"] == "办结·准予"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00", doc["updatedAt"])
    result = doc["result"]
    assert re.fullmatch(r"津人社决〔\d{4}〕\d{5}号", result["wenshubianhao"])
    assert re.fullmatch(r"\d{8}", result["banjieriqi"])
    assert result["jieguoshuoming"].startswith("张三：")
    assert isinstance(result["zhuanyiyueshu"], int)
    assert re.fullmatch(r"\d+\.\d{2}", result["gerenzhanghuyue"])


async def test_runs_happen_every_step(batch: httpx.AsyncClient) -> None:
    await configure(batch, outcomes={"approved": 1})
    [made] = (await send(batch, entry("timed-1")))["accepted"]
    deadline = time.monotonic() + 3
    while (await poll(batch, made["ticket"]))["status"] not in TERMINAL:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.02)
    assert (await poll(batch, made["ticket"]))["status"] == "APPROVED"


async def test_supplement_withdraw_and_errors(batch: httpx.AsyncClient) -> None:
    await configure(batch, step_seconds=60, outcomes={"correction": 1})
    [made] = (await send(batch, entry("bz-1")))["accepted"]
    ticket = made["ticket"]
    url = f"{TJ}/tickets/{ticket}"
    early = await batch.post(f"{url}/supplement", json={"payload": {}}, headers=TJ_AUTH)
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "E1009"
    await run(batch, 2)
    doc = await poll(batch, ticket)
    assert doc["status"] == "NEED_SUPPLEMENT"
    assert doc["reason"]
    fixed = await batch.post(f"{url}/supplement", json={"payload": {"x": 1}}, headers=TJ_AUTH)
    assert fixed.json()["status"] == "PROCESSING"
    await run(batch)
    assert (await poll(batch, ticket))["status"] == "APPROVED"
    late = await batch.post(f"{url}/withdraw", headers=TJ_AUTH)
    assert late.status_code == 409

    [other] = (await send(batch, entry("cx-1")))["accepted"]
    withdrawn = await batch.post(f"{TJ}/tickets/{other['ticket']}/withdraw", headers=TJ_AUTH)
    assert withdrawn.json()["status"] == "WITHDRAWN"
    missing = await batch.get(f"{TJ}/tickets/TJ2099010100001", headers=TJ_AUTH)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "E1004"


async def test_correction_waits_runs_then_refused(batch: httpx.AsyncClient) -> None:
    await configure(batch, step_seconds=60, outcomes={"correction": 1}, correction_wait_steps=2)
    [made] = (await send(batch, entry("late-1")))["accepted"]
    await run(batch, 3)
    assert (await poll(batch, made["ticket"]))["status"] == "NEED_SUPPLEMENT"
    await run(batch)
    doc = await poll(batch, made["ticket"])
    assert doc["status"] == "REFUSED"
    assert "逾期未补正" in doc["reason"]


async def test_subscription_per_client(batch: httpx.AsyncClient) -> None:
    assert (await batch.get(f"{TJ}/subscription", headers=TJ_AUTH)).json() == {"callbackUrl": None}
    await subscribe(batch, "https://gateway.invalid/v1/callbacks/120000")
    got = await batch.get(f"{TJ}/subscription", headers=TJ_AUTH)
    assert got.json() == {"callbackUrl": "https://gateway.invalid/v1/callbacks/120000"}
    bad = await batch.put(f"{TJ}/subscription", json={"callbackUrl": "ftp://x"}, headers=TJ_AUTH)
    assert bad.status_code == 400
    xj = basic_auth("tongban-650000", "650000-sandbox-secret")
    assert (await batch.get("/650000/subscription", headers=xj)).json()["callbackUrl"] is None


def signature(timestamp: str, body: bytes) -> str:
    return hmac.new(SECRET.encode(), f"{timestamp}\n".encode() + body, "sm3").hexdigest()


async def test_callbacks_are_signed_and_in_order(
    batch: httpx.AsyncClient, receiver: Receiver
) -> None:
    await configure(batch, step_seconds=60, outcomes={"approved": 1})
    await subscribe(batch, receiver.url)
    [made] = (await send(batch, entry("cb-1")))["accepted"]
    await run(batch, 3)
    got = await receiver.wait_for(3)
    assert [r.json()["status"] for r in got] == ["ACCEPTED", "PROCESSING", "APPROVED"]
    for callback in got:
        assert callback.headers["x-province"] == "120000"
        assert callback.headers["content-type"] == "application/json"
        timestamp = callback.headers["x-timestamp"]
        assert abs(int(timestamp) - time.time()) < 5
        assert callback.headers["x-signature"] == signature(timestamp, callback.body)
    assert got[-1].json() == await poll(batch, made["ticket"])
    log = (await batch.get("/_sandbox/callbacks")).json()
    assert [d["status"] for d in log] == ["APPROVED", "PROCESSING", "ACCEPTED"]
    assert {d["state"] for d in log} == {"delivered"}
    assert {d["attempts"] for d in log} == {1}
    assert {d["last_http_status"] for d in log} == {204}
    assert {d["ticket"] for d in log} == {made["ticket"]}
    assert ID not in str(log)
    assert "张三" not in str(log)


async def wait_for_log(
    batch: httpx.AsyncClient, done: Any, timeout: float = 3
) -> list[dict[str, Any]]:
    """Polls /_sandbox/callbacks (oldest first) until `done(log)`."""
    deadline = time.monotonic() + timeout
    while True:
        log: list[dict[str, Any]] = (await batch.get("/_sandbox/callbacks")).json()[::-1]
        if log and done(log):
            return log
        assert time.monotonic() < deadline, log
        await asyncio.sleep(0.02)


async def test_callbacks_are_retried(batch: httpx.AsyncClient, receiver: Receiver) -> None:
    # A step of 0.04 s: runs every 0.04 s, retries after 0.02 s, 0.04 s, ...
    await configure(batch, step_seconds=0.04, outcomes={"approved": 1})
    await subscribe(batch, receiver.url)
    receiver.failures, receiver.fail_with = 2, 503
    await send(batch, entry("retry-1"))
    got = await receiver.wait_for(3)
    assert [r.json()["status"] for r in got] == ["ACCEPTED", "PROCESSING", "APPROVED"]
    log = await wait_for_log(batch, lambda log: all(d["state"] == "delivered" for d in log))
    assert [(d["status"], d["attempts"], d["last_http_status"]) for d in log] == [
        ("ACCEPTED", 3, 204),
        ("PROCESSING", 1, 204),
        ("APPROVED", 1, 204),
    ]


async def test_callbacks_give_up_after_five_attempts(
    batch: httpx.AsyncClient, receiver: Receiver
) -> None:
    await configure(batch, step_seconds=0.04, outcomes={"not_accepted": 1})
    await subscribe(batch, receiver.url)
    receiver.failures, receiver.fail_with = 99, 500
    await send(batch, entry("fail-1"))
    [first] = await wait_for_log(batch, lambda log: log[0]["state"] == "failed")
    assert (first["status"], first["attempts"], first["last_http_status"]) == ("REFUSED", 5, 500)
    assert first["last_error"] is None
    # Waited 1 + 2 + 4 + 8 base delays (0.02 s) between the five attempts.
    assert first["finished_at"] - first["created_at"] >= 0.25
    assert receiver.refused == 5
    assert receiver.received == []


async def test_callbacks_can_be_switched_off(batch: httpx.AsyncClient, receiver: Receiver) -> None:
    await configure(batch, step_seconds=60, outcomes={"approved": 1}, callbacks_enabled=False)
    await subscribe(batch, receiver.url)
    await send(batch, entry("off-1"))
    await run(batch, 2)
    await asyncio.sleep(0.1)
    assert receiver.received == []
    assert (await batch.get("/_sandbox/callbacks")).json() == []


async def test_unreachable_subscriber_is_recorded(batch: httpx.AsyncClient) -> None:
    await configure(batch, step_seconds=0.02, outcomes={"not_accepted": 1})
    await subscribe(batch, "http://127.0.0.1:9/nothing-listens-here")
    await send(batch, entry("down-1"))
    [first] = await wait_for_log(batch, lambda log: log[0]["state"] == "failed")
    assert first["attempts"] == 5
    assert first["last_http_status"] is None
    assert first["last_error"] == "ConnectError"


async def test_lookups(batch: httpx.AsyncClient) -> None:
    conditions = {"chaxunren": {"xingming": "李四", "zhengjianhaoma": ID}}
    answer = await batch.post(
        f"{TJ}/lookups/{CONTRIBUTIONS}", json={"conditions": conditions}, headers=TJ_AUTH
    )
    assert answer.status_code == 200
    assert set(answer.json()["data"]) == {"jilu", "jiaofeiyueshu"}
    wrong = await batch.post(
        f"{TJ}/lookups/{UNEMPLOYMENT}", json={"conditions": conditions}, headers=TJ_AUTH
    )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (422, "E1005")
    bad = await batch.post(
        f"{TJ}/lookups/{CONTRIBUTIONS}",
        json={"conditions": {**conditions, "qishinianyue": "2024-01"}},
        headers=TJ_AUTH,
    )
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "E1001")
    assert "qishinianyue" in bad.json()["error"]["message"]


async def test_province_spelling_override(batch: httpx.AsyncClient) -> None:
    """Xinjiang says `shenfenzhenghaoma` where the family says `zhengjianhaoma`."""
    xj = basic_auth("tongban-650000", "650000-sandbox-secret")
    item = next(c for c, i in load_catalog().provinces["650000"].items.items() if not i.kind.query)
    body = {"batchNo": "X", "items": [entry("xj-1", item=item)]}
    answer = (await batch.post("/650000/batches", json=body, headers=xj)).json()
    assert answer["rejected"][0]["code"] == "E1001"
    assert "shenfenzhenghaoma" in answer["rejected"][0]["message"]
    own = entry("xj-2", item=item, shenqingren={"xingming": "张三", "shenfenzhenghaoma": ID})
    body = {"batchNo": "X", "items": [own]}
    assert (await batch.post("/650000/batches", json=body, headers=xj)).json()["accepted"]
