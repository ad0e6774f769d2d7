"""Durability under crashes: SIGKILL mid-saga, restart, nothing lost, nothing doubled.

The gateway runs as a real process; the sandbox provinces count every submission, so a
second provincial case for one leg would show. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.store.migrate import upgrade_async
from tests.conftest import Sandboxes
from tests.integration.conftest import make_clients
from tests.integration.processes import Process, environment, free_port, serve
from tests.integration.test_end_to_end import pension

CASES = 50


@pytest.fixture
async def slow_sandboxes(fresh_sandboxes: Sandboxes) -> Sandboxes:
    await fresh_sandboxes.configure(step_seconds=0.4)
    return fresh_sandboxes


async def _submit_all(base: str, key: str) -> list[str]:
    async with httpx.AsyncClient(
        base_url=base, timeout=30, headers={"Authorization": f"Bearer {key}"}
    ) as http:

        async def one(i: int) -> str:
            response = await http.post(
                "/v1/items/pension-transfer-employee/applications",
                json=pension(),
                headers={"Idempotency-Key": f"crash-{i}"},
            )
            assert response.status_code == 202, response.text
            return str(response.json()["id"])

        return list(await asyncio.gather(*(one(i) for i in range(CASES))))


async def _statuses(base: str, key: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    async with httpx.AsyncClient(
        base_url=base, timeout=30, headers={"Authorization": f"Bearer {key}"}
    ) as http:
        answers = await asyncio.gather(*(http.get(f"/v1/applications/{i}") for i in ids))
    return {i: a.json() for i, a in zip(ids, answers, strict=True)}


async def _wait(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def _provincial_cases(sandboxes: Sandboxes) -> dict[str, list[dict[str, Any]]]:
    return {code: await sandboxes.cases(code) for code in ("440000", "510000")}


async def test_sigkill_mid_saga_loses_and_doubles_nothing(
    database_url: str, slow_sandboxes: Sandboxes, tmp_path: Path
) -> None:
    await upgrade_async(database_url)
    key = (await make_clients(database_url))["app"].key
    env = environment(database_url, slow_sandboxes.overrides())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    first = serve(port, env, tmp_path / "gateway-1.log")
    try:
        ids = await _submit_all(base, key)

        async def some_first_legs_but_not_all_second() -> bool:
            cases = await _provincial_cases(slow_sandboxes)
            return len(cases["440000"]) >= 10 and len(cases["510000"]) < CASES

        await _wait(some_first_legs_but_not_all_second, 30, "a mid-saga moment")
    finally:
        first.kill()
    before = await _provincial_cases(slow_sandboxes)
    assert len(before["510000"]) < CASES  # the kill really was mid-saga

    second: Process = serve(port, env, tmp_path / "gateway-2.log")
    try:

        async def all_terminal() -> bool:
            statuses = await _statuses(base, key, ids)
            return all(
                c["status"] in ("completed", "rejected", "failed", "cancelled")
                for c in statuses.values()
            )

        await _wait(all_terminal, 90, "every case to reach a terminal state")
        final = await _statuses(base, key, ids)
    finally:
        second.stop()

    assert [c["status"] for c in final.values()].count("completed") == CASES
    after = await _provincial_cases(slow_sandboxes)
    for province in ("440000", "510000"):
        serials = [c["serial"] for c in after[province]]
        assert len(serials) == CASES, (province, len(serials))  # one provincial case per leg
        assert len(set(serials)) == CASES  # no duplicates
    references = {leg["reference"] for c in final.values() for leg in c["legs"]}
    assert len(references) == 2 * CASES
