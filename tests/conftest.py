"""Shared fixtures: databases (SQLite always, PostgreSQL where reachable), settings."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.registry import load_province_files
from gateway.settings import Settings
from sandbox.testing import create_app as create_sandbox
from sandbox.testing import running_server

SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
DATA_KEY = "00112233445566778899aabbccddeeff"
POSTGRES_URL = os.environ.get(
    "TONGBAN_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REQUIRE_SERVICES = os.environ.get("TONGBAN_REQUIRE_SERVICES") == "1"


def unavailable(reason: str) -> None:
    """Skip, or fail where CI requires the service (``TONGBAN_REQUIRE_SERVICES=1``)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "secret_key": SECRET_KEY,
        "data_key": DATA_KEY,
        "log_json": True,
        "leg_poll_seconds": 0.05,
        "worker_idle_seconds": 0.02,
        "retry_base_seconds": 0.05,
        "retry_max_seconds": 0.5,
        "webhook_max_attempts": 3,
        "applicant_submissions_per_hour": 100_000,
        "health_interval_seconds": 5.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'tongban.db'}"


async def _create_pg_database() -> tuple[str, str]:
    import asyncpg  # type: ignore[import-untyped]

    admin_dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    name = f"tongban_test_{uuid.uuid4().hex[:10]}"
    try:
        conn = await asyncio.wait_for(asyncpg.connect(admin_dsn), 5)
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        raise ConnectionError(str(exc)) from exc
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base = POSTGRES_URL.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


async def _drop_pg_database(name: str) -> None:
    import asyncpg

    admin_dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    try:
        name, url = await _create_pg_database()
    except (ConnectionError, ImportError) as exc:
        unavailable(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
        return
    try:
        yield url
    finally:
        await _drop_pg_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each test using this runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'tongban.db'}"
        return
    try:
        name, url = await _create_pg_database()
    except (ConnectionError, ImportError) as exc:
        unavailable(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
        return
    try:
        yield url
    finally:
        await _drop_pg_database(name)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


# -- sandbox provincial systems, shared by adapter and integration tests ------------------

STEP_SECONDS = 0.05
FAMILIES = ("rest_oauth", "soap_gbk", "form_sm3", "batch_callback")
PROVINCE_FAMILY = {
    c.code: c.family for c in load_province_files(Settings(environment="test").provinces_dir)
}


@dataclass(frozen=True)
class Sandboxes:
    """One sandbox server per protocol family, each hosting its provinces at /<code>."""

    urls: dict[str, str]  # family → base URL

    @property
    def rest(self) -> str:
        return self.urls["rest_oauth"]

    @property
    def soap(self) -> str:
        return self.urls["soap_gbk"]

    def url_of(self, province: str) -> str:
        return self.urls[PROVINCE_FAMILY[province]]

    def overrides(self) -> dict[str, str]:
        return {code: f"{self.url_of(code)}/{code}" for code in PROVINCE_FAMILY}

    async def configure(self, **change: Any) -> None:
        """Change the sandbox settings; with ``province=`` only on the server hosting it."""
        targets = (
            [self.url_of(change["province"])] if "province" in change else list(self.urls.values())
        )
        async with httpx.AsyncClient() as http:
            for base in targets:
                (await http.put(f"{base}/_sandbox/config", json=change)).raise_for_status()

    async def stats(self) -> dict[str, Any]:
        """Counters per server: ``rest``, ``soap``, ``form``, ``batch``."""
        names = {
            "rest_oauth": "rest",
            "soap_gbk": "soap",
            "form_sm3": "form",
            "batch_callback": "batch",
        }
        async with httpx.AsyncClient() as http:
            return {
                names[f]: (await http.get(f"{url}/_sandbox/stats")).json()
                for f, url in self.urls.items()
            }

    async def cases(self, province: str) -> list[dict[str, Any]]:
        async with httpx.AsyncClient() as http:
            answer = await http.get(f"{self.url_of(province)}/_sandbox/{province}/cases")
        cases: list[dict[str, Any]] = answer.json()
        return cases


@pytest.fixture(scope="session")
def sandboxes() -> Iterator[Sandboxes]:
    with contextlib.ExitStack() as stack:
        urls = {
            family: stack.enter_context(
                running_server(create_sandbox(family, step_seconds=STEP_SECONDS))
            )
            for family in FAMILIES
        }
        yield Sandboxes(urls)


@pytest.fixture
async def fresh_sandboxes(sandboxes: Sandboxes) -> Sandboxes:
    """Sandboxes reset, every case approved unless a test says otherwise."""
    async with httpx.AsyncClient() as http:
        for base in sandboxes.urls.values():
            (await http.post(f"{base}/_sandbox/reset")).raise_for_status()
    await sandboxes.configure(
        outcomes={"approved": 1.0, "correction": 0.0, "rejected": 0.0, "not_accepted": 0.0}
    )
    return sandboxes
