"""Two worker processes on one PostgreSQL never deliver the same leg twice."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from gateway.store.migrate import upgrade_async
from tests.conftest import Sandboxes
from tests.integration.conftest import make_clients
from tests.integration.processes import Process, environment, free_port, serve
from tests.integration.test_end_to_end import pension

CASES = 50


async def test_two_workers_share_the_outbox_without_double_delivery(
    postgres_url: str, fresh_sandboxes: Sandboxes, tmp_path: Path
) -> None:
    await upgrade_async(postgres_url)
    key = (await make_clients(postgres_url))["app"].key
    env = environment(postgres_url, fresh_sandboxes.overrides(), TONGBAN_WORKER_CONCURRENCY="4")
    port = free_port()
    api = serve(port, env, tmp_path / "api.log", workers=False)
    workers = [Process(["worker"], env, tmp_path / f"worker-{i}.log") for i in (1, 2)]
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(
            base_url=base, timeout=30, headers={"Authorization": f"Bearer {key}"}
        ) as http:
            answers = await asyncio.gather(
                *(
                    http.post("/v1/items/pension-transfer-employee/applications", json=pension())
                    for _ in range(CASES)
                )
            )
            ids = [a.json()["id"] for a in answers]
            deadline = time.monotonic() + 90
            while True:
                states = [(await http.get(f"/v1/applications/{i}")).json()["status"] for i in ids]
                if all(s == "completed" for s in states) or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)
        assert states.count("completed") == CASES, states
    finally:
        for worker in workers:
            worker.stop()
        api.stop()
    stats = await fresh_sandboxes.stats()
    for family, province in (("rest", "440000"), ("soap", "510000")):
        counts = stats[family]["by_province"][province]
        assert counts["cases"] == CASES
        assert counts["replays"] == 0, counts  # no leg was ever sent twice
    logs = "".join(p.read_text() for p in tmp_path.glob("worker-*.log"))
    assert "Traceback" not in logs
    # SIGTERM ends the rounds in progress and the process exits by itself, cleanly.
    assert [worker.proc.returncode for worker in workers] == [0, 0]
