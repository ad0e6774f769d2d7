"""Body limits while streaming, and security headers (ASGI level: no sockets, no races)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.hardening import Hardening

LIMIT = 1000


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"size": len(await request.body())})


def client() -> httpx.AsyncClient:
    app = Hardening(
        Starlette(routes=[Route("/v1/echo", echo, methods=["POST"])]), max_body_bytes=LIMIT
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_small_bodies_pass_with_security_headers() -> None:
    async with client() as http:
        response = await http.post("/v1/echo", content=b"x" * LIMIT)
    assert response.json() == {"size": LIMIT}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


async def test_declared_oversize_is_refused_before_reading() -> None:
    async with client() as http:
        response = await http.post("/v1/echo", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/too-large")


async def test_streamed_oversize_is_refused_at_the_limit() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * 300

    async with client() as http:
        response = await http.post("/v1/echo", content=chunks())
    assert response.status_code == 413
