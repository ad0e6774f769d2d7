"""One province hanging, one answering 500s: the others are unaffected, the failing ones are
answered at once by their open breakers, and the durable outbox simply reschedules.

Five provinces: Guangdong (rest_oauth sandbox, switched to ``hang``), Sichuan (soap_gbk
sandbox, switched to ``error_rate=1``) and three healthy ones (Shanghai, Jiangsu, Zhejiang)
bound on the rest_oauth family to a second, healthy sandbox server. Timings are printed,
never asserted: "answered fast" is shown structurally — once a breaker is open no attempt
reaches the province (its upstream-duration histogram stops counting) while the answers
name the province with ``circuit-open`` and ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog.testing

from gateway import security
from gateway.app import create_app
from gateway.registry import load_province_files
from gateway.settings import Settings
from gateway.store.db import make_engine, make_sessions
from gateway.store.migrate import upgrade_async
from sandbox.testing import create_app as create_sandbox
from sandbox.testing import running_server
from tests import conftest
from tests.conftest import SECRET_KEY, STEP_SECONDS, Sandboxes

QUERY = "/v1/items/social-insurance-contributions/queries"
PERSON = {"name": "张三", "id_number": "11010519491231002X"}
HANGING, FAILING = "440000", "510000"
HEALTHY = ("310000", "320000", "330000")
DEADLINE = 0.5


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(type(value))


def _toml(table: dict[str, Any], prefix: str = "") -> str:
    scalars = [
        f"{json.dumps(k)} = {_toml_value(v)}" for k, v in table.items() if not isinstance(v, dict)
    ]
    lines = ([f"[{prefix}]"] if prefix else []) + scalars
    for key, value in table.items():
        if isinstance(value, dict):
            name = f"{prefix}.{json.dumps(key)}" if prefix else json.dumps(key)
            lines.append(_toml(value, name))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def healthy_sandbox() -> Iterator[str]:
    with running_server(create_sandbox("rest_oauth", step_seconds=STEP_SECONDS)) as base:
        yield base


def provinces_dir(
    tmp_path: Path, sandboxes: Sandboxes, healthy: str, deadline: float = DEADLINE
) -> Path:
    directory = tmp_path / "provinces"
    directory.mkdir()
    shipped = {
        c.code: c for c in load_province_files(Settings.model_fields["provinces_dir"].default)
    }
    bases = {HANGING: f"{sandboxes.rest}/440000", FAILING: f"{sandboxes.soap}/510000"}
    for code in (HANGING, FAILING):
        config = shipped[code].model_copy(
            update={"base_url": bases[code], "timeout_seconds": deadline}
        )
        (directory / f"{code}.toml").write_text(_toml(config.model_dump(mode="json")))
    for code in HEALTHY:
        # The healthy sandbox hosts "440000"; here it stands in for three other provinces.
        config = shipped[HANGING].model_copy(
            update={"code": code, "base_url": f"{healthy}/440000", "timeout_seconds": deadline}
        )
        (directory / f"{code}.toml").write_text(_toml(config.model_dump(mode="json")))
    return directory


@dataclass
class Gateway:
    http: httpx.AsyncClient
    key: str

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    async def query(self, *provinces: str) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        response = await self.http.post(
            QUERY, headers=self.auth(), json={"person": PERSON, "provinces": list(provinces)}
        )
        return response, time.perf_counter() - started

    async def metric(self, name: str, **labels: str) -> float:
        text = (await self.http.get("/metrics")).text
        total = 0.0
        for line in text.splitlines():
            if not line.startswith(name + "{"):
                continue
            found = dict(
                part.split("=", 1)
                for part in line[len(name) + 1 : line.rindex("}")].split(",")
                if "=" in part
            )
            if all(found.get(k) == json.dumps(v) for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total


async def _api_key(sqlite_url: str) -> str:
    await upgrade_async(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        async with make_sessions(engine).begin() as session:
            _, key = await security.create_client(session, secret_key=SECRET_KEY, name="app")
    finally:
        await engine.dispose()
    return key


@pytest.fixture
async def gateway(
    sqlite_url: str, fresh_sandboxes: Sandboxes, healthy_sandbox: str, tmp_path: Path
) -> AsyncIterator[Gateway]:
    key = await _api_key(sqlite_url)
    settings = conftest.make_settings(
        sqlite_url,
        provinces_dir=provinces_dir(tmp_path, fresh_sandboxes, healthy_sandbox),
        breaker_failure_threshold=3,
        breaker_open_seconds=5.0,
        max_delivery_attempts=100,  # the outbox keeps rescheduling while the breaker is open
        call_retry_wait_initial_seconds=0.01,
        call_retry_wait_max_seconds=0.02,
        health_interval_seconds=60.0,  # the test drives the breakers, not the pings
    )
    with running_server(create_app(settings), lifespan="on", startup_timeout=20) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            yield Gateway(http, key)
    for code in (HANGING, FAILING):
        await fresh_sandboxes.configure(province=code, hang=False, error_rate=0.0)


def _by_province(response: httpx.Response) -> dict[str, dict[str, Any]]:
    assert response.status_code == 200, response.text
    return {a["province"]: a for a in response.json()["answers"]}


async def test_hanging_and_failing_provinces_do_not_hold_up_the_others(
    gateway: Gateway, fresh_sandboxes: Sandboxes
) -> None:
    everyone = (HANGING, FAILING, *HEALTHY)
    normal, normal_s = await gateway.query(*HEALTHY)
    assert all(a["ok"] for a in _by_province(normal).values())

    await fresh_sandboxes.configure(province=HANGING, hang=True)
    await fresh_sandboxes.configure(province=FAILING, error_rate=1.0)

    # While the breakers are still closed: the hanging province costs its deadline, the
    # failing one its retries; the healthy ones answer, and say so.
    first, first_s = await gateway.query(*everyone)
    answers = _by_province(first)
    assert first.json()["complete"] is False
    assert answers[HANGING]["problem"]["type"].endswith("/upstream-timeout")
    assert answers[HANGING]["problem"]["province"] == HANGING
    assert answers[FAILING]["problem"]["type"].endswith("/upstream-unavailable")
    assert answers[FAILING]["problem"]["province"] == FAILING
    for code in HEALTHY:
        assert answers[code]["ok"] is True
        assert answers[code]["result"]["months_paid"] >= 0

    # Two more calls trip the hanging province's breaker (3 consecutive failures); the
    # failing one's opened during the first query already (3 failed attempts).
    for _ in range(2):
        await gateway.query(HANGING)
    open_labels = {"state": "open"}
    assert await gateway.metric("tongban_circuit_breaker_state", province=HANGING, **open_labels)
    assert await gateway.metric("tongban_circuit_breaker_state", province=FAILING, **open_labels)

    attempts_before = {
        code: await gateway.metric("tongban_upstream_duration_seconds_count", province=code)
        for code in (HANGING, FAILING)
    }
    tripped, tripped_s = await gateway.query(*everyone)
    answers = _by_province(tripped)
    assert tripped.json()["complete"] is False
    for code in (HANGING, FAILING):
        problem = answers[code]["problem"]
        assert answers[code]["ok"] is False
        assert problem["type"].endswith("/circuit-open")
        assert problem["status"] == 503
        assert problem["province"] == code
        assert code in problem["detail"]
        assert problem["retry_after"] >= 1
    for code in HEALTHY:
        assert answers[code]["ok"] is True

    alone, alone_s = await gateway.query(HANGING)
    assert alone.status_code == 503
    assert alone.headers["content-type"] == "application/problem+json"
    # Retry-After in the body (fan-out answers carry no headers of their own); as a header
    # too once gateway/api/operations.py passes it on when re-raising a lone failure.
    assert alone.json()["retry_after"] >= 1
    assert int(alone.headers.get("Retry-After", alone.json()["retry_after"])) >= 1
    assert alone.json()["province"] == HANGING
    assert alone.json()["type"].endswith("/circuit-open")

    # No attempt reached either failing province while their breakers were open.
    for code in (HANGING, FAILING):
        after = await gateway.metric("tongban_upstream_duration_seconds_count", province=code)
        assert after == attempts_before[code]
    assert await gateway.metric(
        "tongban_upstream_requests_total", province=HANGING, outcome="circuit_open"
    )

    # Open breakers mark the provinces unhealthy, in /v1/provinces and /readyz.
    listed = (await gateway.http.get("/v1/provinces", headers=gateway.auth())).json()
    health = {p["code"]: p["healthy"] for p in listed["provinces"]}
    assert health[HANGING] is False
    assert health[FAILING] is False
    ready = (await gateway.http.get("/readyz")).json()["provinces"]
    assert "circuit open" in ready[HANGING]["error"]
    assert ready[HANGING]["healthy"] is False
    for code in HEALTHY:  # (their health is the start-up ping's: not asserted here)
        assert "circuit open" not in (ready[code]["error"] or "")

    print(  # for the record, not asserted: see bench/ for measurements
        f"\nhealthy only {normal_s * 1000:.0f} ms; breakers closed {first_s * 1000:.0f} ms "
        f"(deadline {DEADLINE:g} s); breakers open {tripped_s * 1000:.0f} ms; "
        f"single open province {alone_s * 1000:.0f} ms"
    )

    # Recovery: once the province answers again, the half-open probe closes the breaker.
    await fresh_sandboxes.configure(province=HANGING, hang=False)
    await fresh_sandboxes.configure(province=FAILING, error_rate=0.0)
    for _ in range(150):
        await asyncio.sleep(0.1)
        again, _ = await gateway.query(*everyone)
        if again.json()["complete"]:
            break
    assert again.json()["complete"] is True, [a.get("problem") for a in again.json()["answers"]]
    listed = (await gateway.http.get("/v1/provinces", headers=gateway.auth())).json()
    health = {p["code"]: p["healthy"] for p in listed["provinces"]}
    assert health[HANGING] is True
    assert health[FAILING] is True


async def test_outbox_reschedules_while_the_breaker_is_open(
    gateway: Gateway, fresh_sandboxes: Sandboxes
) -> None:
    await fresh_sandboxes.configure(province=HANGING, error_rate=1.0)
    await gateway.query(HANGING)  # 3 failed attempts: the breaker opens
    assert await gateway.metric("tongban_circuit_breaker_state", province=HANGING, state="open")
    body = {
        "mode": "online",
        "data": {
            "applicant": {**PERSON, "phone": "13800138000"},
            "competent_province": HANGING,
            "residence_address": "广东省广州市天河区体育西路1号",
            "unemployment_date": "2024-03-01",
            "reason": "contract-ended",
        },
    }
    response = await gateway.http.post(
        "/v1/items/unemployment-registration/applications", headers=gateway.auth(), json=body
    )
    assert response.status_code == 202, response.text
    case_id = response.json()["id"]
    await asyncio.sleep(0.3)  # a few worker rounds meet the open breaker
    await fresh_sandboxes.configure(province=HANGING, error_rate=0.0)
    deadline = time.monotonic() + 20
    while True:
        case = (
            await gateway.http.get(f"/v1/applications/{case_id}", headers=gateway.auth())
        ).json()
        if case["status"] in ("completed", "rejected", "cancelled", "failed"):
            break
        assert time.monotonic() < deadline, case
        await asyncio.sleep(0.05)
    assert case["status"] == "completed"


def _limits_under_test(
    sqlite_url: str, sandboxes: Sandboxes, healthy: str, tmp_path: Path, **limits: object
) -> Settings:
    """Settings whose breakers stay closed (the limits below them are under test), with a 3 s
    deadline: long enough to see who answers while the hanging calls wait."""
    return conftest.make_settings(
        sqlite_url,
        provinces_dir=provinces_dir(tmp_path, sandboxes, healthy, deadline=3.0),
        breaker_failure_threshold=100,
        **limits,
    )


async def test_a_flooded_hanging_province_leaves_query_slots_for_the_others(
    sqlite_url: str, fresh_sandboxes: Sandboxes, healthy_sandbox: str, tmp_path: Path
) -> None:
    """More queries to a hanging province than its bulkhead admits: the ones past the bulkhead
    are refused at once (``province-overloaded``, province named), the ones in it hold at most
    the bulkhead's worth of the process's query slots (2 of 4 here), and a query to a healthy
    province is answered while they still wait on their deadline."""
    key = await _api_key(sqlite_url)
    settings = _limits_under_test(
        sqlite_url,
        fresh_sandboxes,
        healthy_sandbox,
        tmp_path,
        query_max_in_flight=4,
        province_max_concurrency=2,
        health_interval_seconds=60.0,
    )
    await fresh_sandboxes.configure(province=HANGING, hang=True)
    try:
        with running_server(create_app(settings), lifespan="on", startup_timeout=20) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=20) as http:
                gateway = Gateway(http, key)
                flood = [asyncio.create_task(gateway.query(HANGING)) for _ in range(8)]
                refused: list[httpx.Response] = []
                while len(refused) < 8 - 2:
                    done, _ = await asyncio.wait(flood, return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        flood.remove(task)
                        refused.append(task.result()[0])
                assert flood, "the calls in the bulkhead are still waiting on the province"

                healthy, _ = await gateway.query(HEALTHY[0])
                assert healthy.status_code == 200
                assert healthy.json()["answers"][0]["ok"] is True
                assert not any(task.done() for task in flood)

                for response in refused:
                    assert response.status_code == 503
                    assert response.json()["type"].endswith("/province-overloaded")
                    assert response.json()["province"] == HANGING
                for response, _ in await asyncio.gather(*flood):
                    assert response.json()["type"].endswith("/upstream-timeout")
                    assert response.json()["province"] == HANGING
    finally:
        await fresh_sandboxes.configure(province=HANGING, hang=False)


@pytest.mark.parametrize("pool", [4, 0], ids=["pool-capped-at-one-bulkhead", "no-pool-cap"])
async def test_a_hanging_province_does_not_take_the_shared_connection_pool(
    sqlite_url: str,
    fresh_sandboxes: Sandboxes,
    healthy_sandbox: str,
    tmp_path: Path,
    pool: int,
) -> None:
    """Every province shares one HTTP client. Capped at one bulkhead's worth of connections
    (4), a hanging province's calls hold the whole pool and a healthy province needing a
    connection waits for one until they time out — start-up logs a warning for such a cap.
    Without a pool-wide cap (the default: the bulkheads bound the calls in flight) it is
    answered while they still wait."""
    key = await _api_key(sqlite_url)
    settings = _limits_under_test(
        sqlite_url,
        fresh_sandboxes,
        healthy_sandbox,
        tmp_path,
        query_max_in_flight=16,
        province_max_concurrency=4,
        http_max_connections=pool,
        health_interval_seconds=3600.0,  # one ping at start (the first province), then none
    )
    try:
        app = create_app(settings)  # (it configures logging: capture after it)
        with (
            structlog.testing.capture_logs() as logged,
            running_server(app, lifespan="on", startup_timeout=20) as base_url,
        ):
            async with httpx.AsyncClient(base_url=base_url, timeout=20) as http:
                gateway = Gateway(http, key)
                # The hanging province's token first (a token request hanging would hold one
                # connection, not four). The witness is Sichuan, healthy in this test, on a
                # server nothing has called yet: it needs a new connection.
                witness = FAILING
                assert (await gateway.query(HANGING))[0].status_code == 200
                await fresh_sandboxes.configure(province=HANGING, hang=True)
                flood = [asyncio.create_task(gateway.query(HANGING)) for _ in range(4)]
                await asyncio.sleep(0.5)  # the four calls are waiting on the province
                healthy, _ = await gateway.query(witness)
                answered_first = not any(task.done() for task in flood)
                await asyncio.gather(*flood)
        warned = [e for e in logged if e["event"] == "http_pool_below_bulkheads"]
        if pool:
            assert warned
            assert warned[0]["max_connections"] == pool
            assert not (answered_first and healthy.status_code == 200)
        else:
            assert not warned
            assert healthy.status_code == 200, healthy.text
            assert answered_first
    finally:
        await fresh_sandboxes.configure(province=HANGING, hang=False)
