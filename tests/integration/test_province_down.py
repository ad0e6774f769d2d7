"""A province whose system is down turns unhealthy; its calls fail with a problem naming it,
and every other province keeps working."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.app import create_app
from gateway.store.migrate import upgrade_async
from sandbox.testing import running_server
from tests.conftest import Sandboxes, make_settings
from tests.integration.conftest import make_clients

DOWN = "330000"  # Zhejiang, on the signed-form platform


@pytest.fixture
async def http(sqlite_url: str, fresh_sandboxes: Sandboxes) -> AsyncIterator[httpx.AsyncClient]:
    await upgrade_async(sqlite_url)
    key = (await make_clients(sqlite_url))["app"].key
    # Quick health checks and a short open breaker, so recovery shows within the test.
    settings = make_settings(
        sqlite_url,
        province_base_urls=fresh_sandboxes.overrides(),
        health_interval_seconds=0.3,
        breaker_open_seconds=1.0,
    )
    with running_server(create_app(settings), lifespan="on", startup_timeout=20) as base:
        async with httpx.AsyncClient(
            base_url=base, timeout=30, headers={"Authorization": f"Bearer {key}"}
        ) as client:
            yield client


async def _health(http: httpx.AsyncClient) -> dict[str, bool]:
    body = (await http.get("/v1/provinces")).json()
    return {p["code"]: p["healthy"] for p in body["provinces"]}


async def _wait_health(http: httpx.AsyncClient, code: str, healthy: bool) -> dict[str, bool]:
    for _ in range(100):
        states = await _health(http)
        if states[code] is healthy:
            return states
        await asyncio.sleep(0.1)
    raise AssertionError(f"{code} never became {'healthy' if healthy else 'unhealthy'}")


async def test_stopped_province_is_unhealthy_and_alone(
    http: httpx.AsyncClient, fresh_sandboxes: Sandboxes
) -> None:
    await fresh_sandboxes.configure(province=DOWN, down=True)
    states = await _wait_health(http, DOWN, healthy=False)
    assert sum(states.values()) == 30  # everyone else stays healthy

    ready = (await http.get("/readyz")).json()
    assert ready["provinces"][DOWN]["healthy"] is False
    assert ready["provinces"][DOWN]["error"]

    answer = await http.post(
        "/v1/items/social-insurance-contributions/queries",
        json={
            "person": {"name": "张三", "id_number": "11010519491231002X"},
            "provinces": ["440000", DOWN, "510000"],
        },
    )
    body = answer.json()
    assert answer.status_code == 200
    assert body["complete"] is False
    by_code = {a["province"]: a for a in body["answers"]}
    assert by_code["440000"]["ok"]
    assert by_code["510000"]["ok"]
    assert by_code[DOWN]["ok"] is False
    assert by_code[DOWN]["problem"]["province"] == DOWN
    assert by_code[DOWN]["problem"]["status"] == 503

    alone = await http.post(
        "/v1/items/social-insurance-contributions/queries",
        json={"person": {"name": "张三", "id_number": "11010519491231002X"}, "provinces": [DOWN]},
    )
    assert alone.status_code == 503
    assert alone.json()["province"] == DOWN
    assert "retry-after" in alone.headers

    await fresh_sandboxes.configure(province=DOWN, down=False)
    await _wait_health(http, DOWN, healthy=True)
