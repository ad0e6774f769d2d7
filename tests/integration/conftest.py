"""Gateway + sandbox provincial systems, each a real uvicorn server on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway import security
from gateway.app import create_app
from gateway.privacy import Sealer
from gateway.signing import HttpxSigner
from gateway.store.db import make_engine, make_sessions
from gateway.store.migrate import upgrade_async
from sandbox.testing import running_server
from tests.conftest import DATA_KEY, SECRET_KEY, Sandboxes, make_settings


@dataclass
class Gateway:
    base_url: str
    api_key: str
    other_key: str
    counter_key: str
    admin_key: str
    http: httpx.AsyncClient
    database_url: str
    counter: httpx.AsyncClient  # a counter terminal: its requests are signed

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

    async def case_as(self, case_id: str, key: str) -> dict[str, Any]:
        response = await self.http.get(f"/v1/applications/{case_id}", headers=self.auth(key))
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    async def wait_terminal(
        self, case_id: str, timeout: float = 20.0, key: str | None = None
    ) -> dict[str, Any]:
        return await self.wait_status(
            case_id, {"completed", "rejected", "cancelled", "failed"}, timeout, key
        )

    async def wait_status(
        self, case_id: str, statuses: set[str], timeout: float = 20.0, key: str | None = None
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            response = await self.http.get(f"/v1/applications/{case_id}", headers=self.auth(key))
            response.raise_for_status()
            case: dict[str, Any] = response.json()
            if case["status"] in statuses:
                return case
            if time.monotonic() > deadline:
                raise AssertionError(f"case stuck in {case['status']}: {case['legs']}")
            await asyncio.sleep(0.05)


@dataclass(frozen=True)
class Credential:
    key: str
    client_id: str
    signing_secret: str | None


def sealed_engine(database_url: str) -> AsyncEngine:
    """An engine that reads and writes the gateway's sealed columns (the tests' data key)."""
    return make_engine(database_url, Sealer(bytes.fromhex(DATA_KEY), "k1"))


async def make_clients(database_url: str) -> dict[str, Credential]:
    """One client per kind the tests need (plus a second app, for isolation)."""
    engine = make_engine(database_url)
    sealer = Sealer(bytes.fromhex(DATA_KEY), "k1")
    made: dict[str, Credential] = {}
    try:
        async with make_sessions(engine).begin() as session:
            for name, kind in (
                ("app", "app"),
                ("other", "app"),
                ("counter", "counter"),
                ("ops", "admin"),
            ):
                issued = await security.register(
                    session,
                    secret_key=SECRET_KEY,
                    sealer=sealer,
                    name=name,
                    kind=kind,
                    province="440000" if kind == "counter" else None,
                    service_point="广州市天河区政务服务中心" if kind == "counter" else None,
                )
                made[name] = Credential(issued.api_key, issued.client.id, issued.signing_secret)
    finally:
        await engine.dispose()
    return made


@pytest.fixture
async def gateway(database_url: str, fresh_sandboxes: Sandboxes) -> AsyncIterator[Gateway]:
    await upgrade_async(database_url)
    made = await make_clients(database_url)
    counter = made["counter"]
    assert counter.signing_secret is not None
    signer = HttpxSigner(counter.key, counter.client_id, counter.signing_secret)
    settings = make_settings(database_url, province_base_urls=fresh_sandboxes.overrides())
    with running_server(create_app(settings), lifespan="on", startup_timeout=20) as base_url:
        async with (
            httpx.AsyncClient(base_url=base_url, timeout=10) as http,
            httpx.AsyncClient(base_url=base_url, timeout=10, auth=signer) as signed,
        ):
            yield Gateway(
                base_url,
                made["app"].key,
                made["other"].key,
                counter.key,
                made["ops"].key,
                http,
                database_url,
                signed,
            )
