"""Rate limits held in Redis hold across gateway replicas."""

from __future__ import annotations

import os

import httpx

from gateway.app import create_app
from gateway.store.migrate import upgrade_async
from sandbox.testing import running_server
from tests.conftest import Sandboxes, make_settings, unavailable
from tests.integration.conftest import make_clients

REDIS_URL = os.environ.get("TONGBAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def _redis_reachable() -> bool:
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        return bool(await client.ping())
    except (OSError, redis.RedisError):
        return False
    finally:
        await client.aclose()


async def test_two_replicas_share_one_limit(sqlite_url: str, fresh_sandboxes: Sandboxes) -> None:
    if not await _redis_reachable():
        unavailable(f"Redis not reachable at {REDIS_URL}")
    await upgrade_async(sqlite_url)
    key = (await make_clients(sqlite_url))["app"].key
    # Limits key on the client id, new on every run: earlier runs never interfere.
    settings = make_settings(
        sqlite_url,
        province_base_urls=fresh_sandboxes.overrides(),
        redis_url=REDIS_URL,
        client_rate_per_minute=6,
        run_workers=False,
    )
    auth = {"Authorization": f"Bearer {key}"}
    with (
        running_server(create_app(settings), lifespan="on") as one,
        running_server(create_app(settings), lifespan="on") as two,
    ):
        async with httpx.AsyncClient(timeout=10) as http:
            codes = []
            for i in range(8):
                base = one if i % 2 == 0 else two
                codes.append((await http.get(f"{base}/v1/provinces", headers=auth)).status_code)
    assert codes == [200] * 6 + [429, 429]
