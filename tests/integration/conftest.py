"""Gateway + sandbox provincial systems, each a real uvicorn server on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gateway import security
from gateway.app import create_app
from gateway.store.db import make_engine, make_sessions
from gateway.store.migrate import upgrade_async
from sandbox.testing import running_server
from tests.conftest import SECRET_KEY, Sandboxes, test_settings


@dataclass
class Gateway:
    base_url: str
    api_key: str
    other_key: str
    http: httpx.AsyncClient

    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.api_key}"}

    async def submit(self, item: str, body: dict[str, Any]) -> httpx.Response:
        return await self.http.post(
            f"/v1/items/{item}/applications", json=body, headers=self.auth()
        )

    async def case(self, case_id: str) -> dict[str, Any]:
        response = await self.http.get(f"/v1/applications/{case_id}", headers=self.auth())
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    async def wait_terminal(self, case_id: str, timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            case = await self.case(case_id)
            if case["status"] in ("completed", "rejected", "cancelled", "failed"):
                return case
            if time.monotonic() > deadline:
                raise AssertionError(f"case stuck in {case['status']}: {case['legs']}")
            await asyncio.sleep(0.05)


async def _clients(database_url: str) -> tuple[str, str]:
    engine = make_engine(database_url)
    try:
        async with make_sessions(engine).begin() as session:
            _, key = await security.create_client(session, secret_key=SECRET_KEY, name="app")
            _, other = await security.create_client(session, secret_key=SECRET_KEY, name="other")
    finally:
        await engine.dispose()
    return key, other


@pytest.fixture
async def gateway(database_url: str, fresh_sandboxes: Sandboxes) -> AsyncIterator[Gateway]:
    await upgrade_async(database_url)
    key, other = await _clients(database_url)
    settings = test_settings(database_url, province_base_urls=fresh_sandboxes.overrides())
    with running_server(create_app(settings), lifespan="on", startup_timeout=20) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            yield Gateway(base_url, key, other, http)
