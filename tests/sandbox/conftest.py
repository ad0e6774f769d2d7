"""Fixtures: one sandbox server per family for the session, reset before every test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from sandbox.testing import create_app, running_server

STEP = 0.05  # seconds per status step: whole case lifecycles in a fraction of a second


@pytest.fixture(scope="session")
def rest_url() -> Iterator[str]:
    with running_server(create_app("rest_oauth", step_seconds=STEP)) as url:
        yield url


@pytest.fixture(scope="session")
def soap_url() -> Iterator[str]:
    with running_server(create_app("soap_gbk", step_seconds=STEP)) as url:
        yield url


@pytest.fixture
async def rest(rest_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the rest_oauth server (base URL = server root), state reset."""
    async with httpx.AsyncClient(base_url=rest_url, timeout=5) as client:
        (await client.post("/_sandbox/reset")).raise_for_status()
        yield client


@pytest.fixture
async def soap(soap_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the soap_gbk server (base URL = server root), state reset."""
    async with httpx.AsyncClient(base_url=soap_url, timeout=5) as client:
        (await client.post("/_sandbox/reset")).raise_for_status()
        yield client


@pytest.fixture
async def gd_auth(rest: httpx.AsyncClient) -> dict[str, str]:
    """Authorization header with a fresh Guangdong token."""
    answer = await rest.post(
        "/440000/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "tongban-gd",
            "client_secret": "gd-sandbox-secret",
        },
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
