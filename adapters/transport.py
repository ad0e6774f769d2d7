"""The one I/O boundary every family sends through: deadline and transport error mapping.

httpx's timeouts are per phase (connect, read a chunk…), so a province dripping one byte a
second never trips them; the overall deadline here does.

httpx binds every answer's stream to the answer itself (``response.stream`` is a
``BoundAsyncStream`` holding the response), a reference cycle that reference counting
cannot free. Each answer then waited, with its request, headers and the transport's own
response objects (~50 containers), for the cyclic garbage collector, whose young-generation
passes over ~13,000 such objects stalled the event loop for 6-19 ms every half second under
load (bench: the p99 of one connection's queries). Once the body is read the stream is
spent, so it is replaced with the bytes already held, and the answer is freed as soon as
the adapter drops it.
"""

from __future__ import annotations

import asyncio
import functools

import httpx

from adapters.errors import UpstreamTimeout, UpstreamUnavailable


@functools.lru_cache(maxsize=1024)
def endpoint(base_url: str, path: str) -> httpx.URL:
    """``base_url`` + ``path``, parsed once: httpx parses a URL given as text on every request
    (~17 µs), and a province's endpoints repeat. ``httpx.URL`` is immutable, so one is shared."""
    return httpx.URL(base_url + path)


async def send(
    http: httpx.AsyncClient, request: httpx.Request, *, province: str, deadline: float
) -> httpx.Response:
    """Send ``request`` and read the whole answer within ``deadline`` seconds."""
    try:
        async with asyncio.timeout(deadline):
            response = await http.send(request, follow_redirects=False)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise UpstreamTimeout(
            f"no complete answer within {deadline:g} s", province=province
        ) from exc
    except httpx.TransportError as exc:
        raise UpstreamUnavailable(
            f"transport error: {type(exc).__name__}", province=province
        ) from exc
    response.stream = httpx.ByteStream(response.content)  # read and closed: break the cycle
    return response
