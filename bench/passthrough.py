"""Bare pass-throughs, the yardsticks: take the body, POST it upstream, return the answer.

No authentication, validation, translation, metrics or logs: the cost of the framework and
the HTTP client alone. ``python -m bench.passthrough KIND PORT`` with ``BENCH_UPSTREAM`` (the
URL to POST to) and ``BENCH_UPSTREAM_AUTH`` (its Authorization header) in the environment.

| kind | server | client |
|---|---|---|
| ``fastapi_httpx`` | FastAPI | httpx.AsyncClient, default pool (the naive pass-through) |
| ``fastapi_httpx_aiohttp`` | FastAPI | httpx.AsyncClient on httpx-aiohttp's transport |
| ``fastapi_aiohttp`` | FastAPI | aiohttp.ClientSession |
| ``starlette_aiohttp`` | Starlette | aiohttp.ClientSession |

Each runs under uvicorn, one process, uvloop and httptools, access log off.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.responses import Response

UPSTREAM = os.environ.get("BENCH_UPSTREAM", "http://127.0.0.1:18101/440000/api/v1/cx/x")
HEADERS = {
    "content-type": "application/json",
    "authorization": os.environ.get("BENCH_UPSTREAM_AUTH", "Bearer x"),
}


def _httpx_client(aiohttp_transport: bool) -> Any:
    import httpx

    if aiohttp_transport:
        from httpx_aiohttp import AiohttpTransport

        return httpx.AsyncClient(transport=AiohttpTransport())
    return httpx.AsyncClient()


def _aiohttp_session() -> Any:
    import aiohttp

    return aiohttp.ClientSession()


def fastapi_with(make: Callable[[], Any], *, aiohttp: bool) -> Any:
    from fastapi import FastAPI

    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state["client"] = make()
        yield
        await state["client"].close() if aiohttp else await state["client"].aclose()

    app = FastAPI(lifespan=lifespan)

    if aiohttp:

        @app.post("/pass")
        async def pass_aiohttp(request: Request) -> Response:
            body = await request.body()
            async with state["client"].post(UPSTREAM, data=body, headers=HEADERS) as answer:
                content = await answer.read()
                return Response(content, answer.status, media_type="application/json")

    else:

        @app.post("/pass")
        async def pass_httpx(request: Request) -> Response:
            body = await request.body()
            answer = await state["client"].post(UPSTREAM, content=body, headers=HEADERS)
            return Response(answer.content, answer.status_code, media_type="application/json")

    return app


def starlette_aiohttp() -> Any:
    from starlette.applications import Starlette
    from starlette.routing import Route

    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        state["session"] = _aiohttp_session()
        yield
        await state["session"].close()

    async def pass_(request: Request) -> Response:
        body = await request.body()
        async with state["session"].post(UPSTREAM, data=body, headers=HEADERS) as answer:
            return Response(await answer.read(), answer.status, media_type="application/json")

    return Starlette(routes=[Route("/pass", pass_, methods=["POST"])], lifespan=lifespan)


def build(kind: str) -> Any:
    if kind == "fastapi_httpx":
        return fastapi_with(lambda: _httpx_client(False), aiohttp=False)
    if kind == "fastapi_httpx_aiohttp":
        return fastapi_with(lambda: _httpx_client(True), aiohttp=False)
    if kind == "fastapi_aiohttp":
        return fastapi_with(_aiohttp_session, aiohttp=True)
    if kind == "starlette_aiohttp":
        return starlette_aiohttp()
    raise SystemExit(f"unknown pass-through {kind!r}")


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run(
        build(kind),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
    )


if __name__ == "__main__":
    main()
