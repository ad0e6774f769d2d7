"""The database goes away for a while: writes fail cleanly (503 + Retry-After), and every
case the gateway acknowledged before, or after, is still there and reaches its end."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator

import httpx
from sqlalchemy import func, select

from gateway.app import create_app
from gateway.store.db import make_engine
from gateway.store.migrate import upgrade_async
from gateway.store.tables import Case
from sandbox.faultproxy import FaultProxy
from sandbox.testing import running_server
from tests.conftest import Sandboxes, make_settings
from tests.integration.conftest import make_clients
from tests.integration.test_end_to_end import unemployment

PATH = "/v1/items/unemployment-registration/applications"


@contextlib.contextmanager
def proxy_in_thread(upstream: tuple[str, int]) -> Iterator[tuple[FaultProxy, Callable[..., None]]]:
    """The proxy on its own event loop: the gateway under test blocks the test's loop while
    it starts (running_server waits synchronously), and it needs the database meanwhile."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    proxy = FaultProxy(upstream)
    asyncio.run_coroutine_threadsafe(proxy.start(), loop).result(10)

    def apply(**toxics: object) -> None:
        asyncio.run_coroutine_threadsafe(proxy.apply(**toxics), loop).result(10)

    try:
        yield proxy, apply
    finally:
        asyncio.run_coroutine_threadsafe(proxy.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


async def test_writes_fail_cleanly_and_nothing_acknowledged_is_lost(
    postgres_url: str, fresh_sandboxes: Sandboxes
) -> None:
    await upgrade_async(postgres_url)
    key = (await make_clients(postgres_url))["app"].key
    host_port, database = postgres_url.split("@", 1)[1].split("/", 1)
    host, port = host_port.split(":")
    with proxy_in_thread((host, int(port))) as (proxy, apply):
        proxied = f"{postgres_url.split('@', 1)[0]}@{proxy.host}:{proxy.port}/{database}"
        # A short lease: rows leased by a worker whose write failed come back quickly.
        settings = make_settings(
            proxied, province_base_urls=fresh_sandboxes.overrides(), lease_seconds=2.0
        )
        auth = {"Authorization": f"Bearer {key}"}
        acknowledged: list[str] = []
        with running_server(create_app(settings), lifespan="on", startup_timeout=20) as base:
            async with httpx.AsyncClient(base_url=base, timeout=30, headers=auth) as http:
                for _ in range(3):
                    response = await http.post(PATH, json=unemployment("440000"))
                    assert response.status_code == 202
                    acknowledged.append(response.json()["id"])

                apply(down=True, reset=True)
                failures = [await http.post(PATH, json=unemployment("440000")) for _ in range(3)]
                for failure in failures:
                    assert failure.status_code == 503, failure.text
                    assert failure.headers["retry-after"]
                    assert failure.headers["content-type"] == "application/problem+json"
                    assert failure.json()["type"].endswith("/database-unavailable")
                await asyncio.sleep(1.0)  # workers keep failing meanwhile; nothing breaks
                apply(down=False, reset=False)

                for _ in range(50):  # the pool reconnects on its own
                    response = await http.post(PATH, json=unemployment("440000"))
                    if response.status_code == 202:
                        acknowledged.append(response.json()["id"])
                        break
                    await asyncio.sleep(0.1)
                assert len(acknowledged) == 4

                for case_id in acknowledged:
                    for _ in range(200):
                        case = (await http.get(f"/v1/applications/{case_id}")).json()
                        if case["status"] == "completed":
                            break
                        await asyncio.sleep(0.05)
                    assert case["status"] == "completed", case

    engine = make_engine(postgres_url)
    try:
        async with engine.connect() as conn:
            stored = await conn.scalar(select(func.count()).select_from(Case))
    finally:
        await engine.dispose()
    assert stored == len(acknowledged)  # nothing half-written by the refused requests
