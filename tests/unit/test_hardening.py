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


async def test_nul_in_the_path_or_query_is_refused_before_anything_reads_it() -> None:
    # PostgreSQL refuses NUL in text: it was a 503 "retry later" no retry could fix.
    async with client() as http:
        in_path = await http.post("/v1/echo%00", content=b"")
        in_query = await http.post("/v1/echo?item=%00", content=b"")
        clean = await http.post("/v1/echo?item=x", content=b"")
    assert (in_path.status_code, in_path.json()["errors"][0]["field"]) == (422, "path")
    assert (in_query.status_code, in_query.json()["errors"][0]["field"]) == (422, "query")
    assert in_query.headers["content-type"] == "application/problem+json"
    assert clean.status_code == 200
