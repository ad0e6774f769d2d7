"""Batch/callback provinces report back by calling the gateway: signed, applied, idempotent."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.app import create_app
from gateway.store.migrate import upgrade_async
from sandbox.testing import running_server
from tests.conftest import PROVINCE_FAMILY, Sandboxes, make_settings
from tests.integration.conftest import make_clients
from tests.integration.processes import free_port
from tests.integration.test_end_to_end import unemployment

BATCH = sorted(code for code, family in PROVINCE_FAMILY.items() if family == "batch_callback")


@pytest.fixture
async def callback_gateway(
    sqlite_url: str, fresh_sandboxes: Sandboxes
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    await upgrade_async(sqlite_url)
    key = (await make_clients(sqlite_url))["app"].key
    port = free_port()
    # Polling slow enough that the callbacks, not the polls, carry the news.
    settings = make_settings(
        sqlite_url,
        province_base_urls=fresh_sandboxes.overrides(),
        public_url=f"http://127.0.0.1:{port}",
        leg_poll_seconds=30.0,
    )
    with running_server(create_app(settings), port=port, lifespan="on", startup_timeout=20):
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}",
            timeout=10,
            headers={"Authorization": f"Bearer {key}"},
        ) as http:
            yield http, key


async def test_callbacks_drive_the_case(
    callback_gateway: tuple[httpx.AsyncClient, str], fresh_sandboxes: Sandboxes
) -> None:
    http, _ = callback_gateway
    province = BATCH[0]
    response = await http.post(
        "/v1/items/unemployment-registration/applications", json=unemployment(province)
    )
    assert response.status_code == 202, response.text
    case_id = response.json()["id"]
    deadline = time.monotonic() + 20
    while True:
        case = (await http.get(f"/v1/applications/{case_id}")).json()
        if case["status"] == "completed" or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    assert case["status"] == "completed", case
    sources = {e["source"] for e in case["events"] if e["kind"] == "leg_status"}
    assert "province-callback" in sources
    async with httpx.AsyncClient() as plain:
        sent = (await plain.get(f"{fresh_sandboxes.url_of(province)}/_sandbox/callbacks")).json()
    mine = [d for d in sent if d["province"] == province]
    assert mine
    assert any(d["state"] == "delivered" for d in mine)
    assert all(d["last_http_status"] == 204 for d in mine if d["state"] == "delivered")


async def test_forged_callbacks_are_refused(
    callback_gateway: tuple[httpx.AsyncClient, str],
) -> None:
    http, _ = callback_gateway
    body = b'{"ticket": "T1", "serialNo": "S", "status": "APPROVED"}'
    response = await http.post(
        f"/v1/callbacks/{BATCH[0]}",
        content=body,
        headers={
            "X-Province": BATCH[0],
            "X-Timestamp": str(int(time.time())),
            "X-Signature": "00" * 32,
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 401
    assert response.json()["type"].endswith("/callback-signature")
    not_batch = await http.post("/v1/callbacks/440000", content=body)
    assert not_batch.status_code == 404
