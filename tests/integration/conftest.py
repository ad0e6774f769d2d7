"""Gateway + sandbox provincial systems, each a real uvicorn server on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gateway import security
from gateway.app import create_app
from gateway.store.db import make_engine, make_sessions
from gateway.store.migrate import upgrade_async
from sandbox.testing import create_app as create_sandbox, running_server
from tests.conftest import SECRET_KEY, test_settings
from tests.integration.server import serving

STEP_SECONDS = 0.05


@dataclass(frozen=True)
class Sandboxes:
    rest: str
    soap: str

    def overrides(self) -> dict[str, str]:
        return {"440000": f"{self.rest}/440000", "510000": f"{self.soap}/510000"}

    async def configure(self, **change: Any) -> None:
        """Change the sandbox settings; with ``province=`` only on the server hosting it."""
        hosts = {"440000": [self.rest], "510000": [self.soap]}
        targets = hosts[change["province"]] if "province" in change else [self.rest, self.soap]
        async with httpx.AsyncClient() as http:
            for base in targets:
                (await http.put(f"{base}/_sandbox/config", json=change)).raise_for_status()

    async def stats(self) -> dict[str, Any]:
        async with httpx.AsyncClient() as http:
            rest = (await http.get(f"{self.rest}/_sandbox/stats")).json()
            soap = (await http.get(f"{self.soap}/_sandbox/stats")).json()
        return {"rest": rest, "soap": soap}


@pytest.fixture(scope="session")
def sandboxes() -> Iterator[Sandboxes]:
    with (
        running_server(create_sandbox("rest_oauth", step_seconds=STEP_SECONDS)) as rest,
        running_server(create_sandbox("soap_gbk", step_seconds=STEP_SECONDS)) as soap,
    ):
        yield Sandboxes(rest, soap)


@pytest.fixture
async def fresh_sandboxes(sandboxes: Sandboxes) -> AsyncIterator[Sandboxes]:
    """Sandboxes reset, every case approved unless a test says otherwise."""
    async with httpx.AsyncClient() as http:
        for base in (sandboxes.rest, sandboxes.soap):
            (await http.post(f"{base}/_sandbox/reset")).raise_for_status()
    await sandboxes.configure(
        outcomes={"approved": 1.0, "correction": 0.0, "rejected": 0.0, "not_accepted": 0.0}
    )
    yield sandboxes


@dataclass
class Gateway:
    base_url: str
    api_key: str
    other_key: str
    http: httpx.AsyncClient

    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.api_key}"}

    async def submit(self, item: str, body: dict[str, Any]) -> httpx.Response:
        return await self.http.post(f"/v1/items/{item}/applications", json=body,
                                    headers=self.auth())

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
            _, other = await security.create_client(session, secret_key=SECRET_KEY,
                                                    name="other")
    finally:
        await engine.dispose()
    return key, other


@pytest.fixture
async def gateway(database_url: str, fresh_sandboxes: Sandboxes) -> AsyncIterator[Gateway]:
    await upgrade_async(database_url)
    key, other = await _clients(database_url)
    settings = test_settings(database_url, province_base_urls=fresh_sandboxes.overrides())
    with serving(create_app(settings)) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            yield Gateway(base_url, key, other, http)
