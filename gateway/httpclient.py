"""The one pooled ``httpx.AsyncClient`` every adapter sends through.

httpx stays the client API (adapters, respx tests); underneath it, the transport is chosen
by measurement (``bench/``, README "Benchmarks"): httpx-aiohttp's transport, aiohttp's C
HTTP parser and connection pool under httpx's API, serves the query path several times
faster than httpcore's pure-Python pool. ``TONGBAN_HTTP_TRANSPORT=httpcore`` switches back.

httpx-aiohttp maps every ``aiohttp.ClientConnectionError`` to ``httpx.ConnectTimeout``, which
would report a refused or reset connection as a timeout (504). ``_Transport`` restores the
distinction: refused → ``ConnectError``, reset or closed mid-answer → ``RemoteProtocolError``
(both ``UpstreamUnavailable``, 503); real timeouts stay timeouts.

Answers come back as ``FastJsonResponse``: ``.json()`` parses with orjson (a 6 KB answer:
~60 µs instead of ~130 µs with the standard library), falling back to httpx's own parsing
for anything orjson refuses (non-UTF-8 JSON, integers beyond 64 bits), so adapters see the
same values and the same errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import orjson

Hook = Callable[[httpx.Request], Awaitable[None]]


class FastJsonResponse(httpx.Response):
    def json(self, **kwargs: Any) -> Any:
        if not kwargs:
            try:
                return orjson.loads(self.content)
            except orjson.JSONDecodeError:
                pass  # let the standard library decide, and raise its own error
        return super().json(**kwargs)


class _NoCookies(httpx.Cookies):
    """The shared client keeps no cookies: one province's ``Set-Cookie`` must never travel
    to another, and parsing them through ``http.cookiejar`` cost ~5 % of a query."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class _FastJson(httpx.AsyncBaseTransport):
    """Wraps a transport so that its answers parse JSON with orjson."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        response.__class__ = FastJsonResponse  # same layout, one method more
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def make_client(
    *,
    transport: str = "aiohttp",
    max_connections: int = 0,
    max_keepalive_connections: int = 256,
    request_hooks: list[Hook] | None = None,
) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=max_connections or None,  # 0: no cap
        max_keepalive_connections=max_keepalive_connections,
        keepalive_expiry=30.0,
    )
    hooks: dict[str, list[Callable[..., object]]] = (
        {"request": list(request_hooks)} if request_hooks else {}
    )
    common = {
        "timeout": httpx.Timeout(10.0, connect=3.0),
        "follow_redirects": False,
        "trust_env": False,
        "event_hooks": hooks,
    }
    inner = (
        _aiohttp_transport(limits)
        if transport == "aiohttp"
        else httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    )
    client = httpx.AsyncClient(transport=_FastJson(inner), **common)  # type: ignore[arg-type]
    client._cookies = _NoCookies()  # httpx has no switch for this; the attribute is its own
    return client


def _aiohttp_transport(limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    import aiohttp
    from httpx_aiohttp import AiohttpTransport

    def session() -> aiohttp.ClientSession:
        # Made lazily, inside the running loop, on the first request.
        connector = aiohttp.TCPConnector(
            limit=limits.max_connections or 0,
            limit_per_host=0,
            keepalive_timeout=limits.keepalive_expiry or 15.0,
            ttl_dns_cache=300,
        )
        return aiohttp.ClientSession(connector=connector, auto_decompress=False)

    class _Transport(AiohttpTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            try:
                return await super().handle_async_request(request)
            except httpx.ConnectTimeout as exc:
                cause = exc.__cause__
                if cause is None or isinstance(cause, asyncio.TimeoutError):
                    raise
                if isinstance(cause, aiohttp.ClientConnectorError):
                    raise httpx.ConnectError(str(exc), request=request) from cause
                raise httpx.RemoteProtocolError(str(exc), request=request) from cause

    return _Transport(limits=limits, client=session)
