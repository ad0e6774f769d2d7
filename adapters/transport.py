"""The one I/O boundary every family sends through: deadline and transport error mapping.

httpx's timeouts are per phase (connect, read a chunk…), so a province dripping one byte a
second never trips them; the overall deadline here does. A call may take several requests
(an OAuth token first, a new token after a 401, a status check after a change, a retry):
they share the call's one deadline (``call_deadline``), so a call ends in time however many
it takes.

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
import contextlib
import contextvars
import functools
from collections.abc import Iterator
from typing import Any

import httpx
import orjson

from adapters import request_build
from adapters.errors import UpstreamProtocolError, UpstreamTimeout, UpstreamUnavailable

# When the whole call (every request of it: a token, the call, a retry) must end, as the event
# loop's time; set by the gateway's resilience layer around each adapter call.
_CALL_ENDS: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "tongban_call_ends", default=None
)


@contextlib.contextmanager
def call_deadline(seconds: float) -> Iterator[None]:
    """Every request sent inside the block ends within ``seconds`` of its start, together."""
    token = _CALL_ENDS.set(asyncio.get_running_loop().time() + seconds)
    try:
        yield
    finally:
        _CALL_ENDS.reset(token)


def json_request(
    http: httpx.AsyncClient,
    method: str,
    url: httpx.URL,
    body: Any,
    headers: dict[str, str],
) -> httpx.Request:
    """``http.build_request(method, url, json=body, headers=headers)``, the body written by
    orjson: the same compact UTF-8 text as httpx's ``json=``, which goes through the standard
    library's encoder (~2 % of a query), and the request built by ``request_build``. What
    orjson will not write (integers beyond 64 bits, keys that are not strings) goes httpx's
    way."""
    if body is None:
        return http.build_request(method, url, headers=headers)
    try:
        content = orjson.dumps(body)
    except TypeError:
        return http.build_request(method, url, json=body, headers=headers)
    return request_build.build(
        http, method, url, content, {**headers, "Content-Type": "application/json"}
    )


@functools.lru_cache(maxsize=1024)
def endpoint(base_url: str, path: str) -> httpx.URL:
    """``base_url`` + ``path``, parsed once: httpx parses a URL given as text on every request
    (~17 µs), and a province's endpoints repeat. ``httpx.URL`` is immutable, so one is shared."""
    return httpx.URL(base_url + path)


async def send(
    http: httpx.AsyncClient, request: httpx.Request, *, province: str, deadline: float
) -> httpx.Response:
    """Send ``request`` and read the whole answer within ``deadline`` seconds, and within
    what is left of the call's deadline (``call_deadline``)."""
    budget = deadline
    if (ends := _CALL_ENDS.get()) is not None:
        budget = min(deadline, ends - asyncio.get_running_loop().time())
    if budget <= 0:
        raise UpstreamTimeout("the call's deadline passed before this request", province=province)
    try:
        async with asyncio.timeout(budget):
            response = await http.send(request, follow_redirects=False)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise UpstreamTimeout(
            f"no complete answer within {budget:.3g} s", province=province
        ) from exc
    except httpx.TransportError as exc:
        raise UpstreamUnavailable(
            f"transport error: {type(exc).__name__}", province=province
        ) from exc
    except httpx.RequestError as exc:  # undecodable body (Content-Encoding), redirect loops…
        raise UpstreamProtocolError(
            f"unreadable answer: {type(exc).__name__}", province=province
        ) from exc
    response.stream = httpx.ByteStream(response.content)  # read and closed: break the cycle
    return response
