"""The one I/O boundary every family sends through: deadline and transport error mapping.

httpx's timeouts are per phase (connect, read a chunk…), so a province dripping one byte a
second never trips them; the overall deadline here does.
"""

from __future__ import annotations

import asyncio

import httpx

from adapters.errors import UpstreamTimeout, UpstreamUnavailable


async def send(
    http: httpx.AsyncClient, request: httpx.Request, *, province: str, deadline: float
) -> httpx.Response:
    """Send ``request`` and read the whole answer within ``deadline`` seconds."""
    try:
        async with asyncio.timeout(deadline):
            return await http.send(request, follow_redirects=False)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise UpstreamTimeout(
            f"no complete answer within {deadline:g} s", province=province
        ) from exc
    except httpx.TransportError as exc:
        raise UpstreamUnavailable(
            f"transport error: {type(exc).__name__}", province=province
        ) from exc
