"""The one pooled ``httpx.AsyncClient`` every adapter sends through.

httpx stays the client API (adapters build ``httpx.Request`` objects and read
``httpx.Response`` objects, and respx mocks them in tests); underneath it, the transport
is chosen by measurement (``bench/``, README "Benchmarks"):

- ``AiohttpTransport`` (the default) sends over aiohttp's connection pool and C HTTP parser
  and reads each answer whole, up to ``max_answer_bytes``. It replaced httpx-aiohttp's
  transport, which streams every answer through a chain of httpx and aiohttp iterators
  that no adapter needs: a 6 KB answer cost ~200 µs through it, ~130 µs through this one,
  against ~115 µs in bare aiohttp.
- ``TONGBAN_HTTP_TRANSPORT=httpcore`` switches back to httpx's own pool (pure Python, several
  times slower under load).

``GatewayClient.send`` takes a short road for what every adapter call is (a whole answer, no
auth flow, no redirects, no cookies, no answer hooks): ~70 µs less per request than httpx's
general ``send``, which runs an auth-flow generator, a redirect loop and a timing stream
wrapper around each request. Anything else goes through httpx's own ``send``.

Transport errors keep httpx's meaning: refused → ``ConnectError``; reset, closed mid-answer
or not HTTP → ``RemoteProtocolError`` (both ``UpstreamUnavailable``, 503); timeouts stay
timeouts; an answer over the cap is ``AnswerTooLarge`` (``UpstreamProtocolError``, 502).

Answers come back as ``FastJsonResponse``: ``.json()`` parses with orjson (a 6 KB answer:
~60 µs instead of ~130 µs with the standard library), falling back to httpx's own parsing
for anything orjson refuses (non-UTF-8 JSON, integers beyond 64 bits), so adapters see the
same values and the same errors.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
import httpx
import orjson
import yarl

Hook = Callable[[httpx.Request], Awaitable[None]]

MAX_ANSWER_BYTES = 16 * 1024 * 1024


class FastJsonResponse(httpx.Response):
    def json(self, **kwargs: Any) -> Any:
        if not kwargs:
            try:
                return orjson.loads(self.content)
            except orjson.JSONDecodeError:
                pass  # let the standard library decide, and raise its own error
        return super().json(**kwargs)


class AnswerTooLarge(httpx.RequestError):
    """The province's answer is longer than the client reads (``max_answer_bytes``)."""


class _NoCookies(httpx.Cookies):
    """The shared client keeps no cookies: one province's ``Set-Cookie`` must never travel
    to another, and parsing them through ``http.cookiejar`` cost ~5 % of a query."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class GatewayClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` with a short road for a whole answer without auth or redirects."""

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        if (
            stream
            or auth is not httpx.USE_CLIENT_DEFAULT
            or follow_redirects is True
            or self.auth is not None
            or self.follow_redirects
            or self.event_hooks["response"]
        ):
            return await super().send(
                request, stream=stream, auth=auth, follow_redirects=follow_redirects
            )
        if self.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        if "timeout" not in request.extensions:
            request.extensions = {**request.extensions, "timeout": self.timeout.as_dict()}
        for hook in self.event_hooks["request"]:
            await hook(request)
        # _transport_for_url: the transport mounted for the URL (respx patches it too).
        response = await self._transport_for_url(request.url).handle_async_request(request)
        response.request = request
        try:
            await response.aread()  # already read by AiohttpTransport; httpcore streams
        except BaseException:
            await response.aclose()
            raise
        return response


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


class AiohttpTransport(httpx.AsyncBaseTransport):
    """httpx's transport interface over one aiohttp session, reading each answer whole."""

    def __init__(self, limits: httpx.Limits, *, max_answer_bytes: int = MAX_ANSWER_BYTES) -> None:
        self.limits = limits
        self.max_answer_bytes = max_answer_bytes
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        # Made lazily, inside the running event loop, on the first request.
        connector = aiohttp.TCPConnector(
            limit=self.limits.max_connections or 0,
            limit_per_host=0,
            keepalive_timeout=self.limits.keepalive_expiry or 15.0,
            ttl_dns_cache=300,
        )
        # No cookie jar: as the httpx client above it (``_NoCookies``), the pool keeps no
        # province's ``Set-Cookie``; aiohttp's default jar kept them and sent them back to
        # every host they match (a ``Domain=.gov.cn`` cookie matches every province).
        self._session = aiohttp.ClientSession(
            connector=connector, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar()
        )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session or self._open()
        encoding = request.headers.encoding  # as multi_items() decodes, but worked out once
        headers = [(k.decode(encoding), v.decode(encoding)) for k, v in request.headers.raw]
        try:
            data = request.content
        except httpx.RequestNotRead:  # a streamed body (multipart files): read it first
            data = await request.aread()
            headers = [(k, v) for k, v in headers if k != "transfer-encoding"]
        timeout = request.extensions.get("timeout", {})
        try:
            async with session.request(
                request.method,
                _target(request.url),
                headers=headers,
                data=data or None,
                allow_redirects=False,
                timeout=_client_timeout(
                    timeout.get("connect"), timeout.get("read"), timeout.get("pool")
                ),
            ) as answer:
                body = await self._read(answer, request)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _mapped(exc, request) from exc
        return whole_answer(
            answer.status,
            answer.raw_headers,
            body,
            request,
            {
                "http_version": b"HTTP/1.1",
                "reason_phrase": (answer.reason or "").encode("ascii", "replace"),
            },
        )

    async def _read(self, answer: aiohttp.ClientResponse, request: httpx.Request) -> bytes:
        limit = self.max_answer_bytes
        length = answer.content_length
        if length is not None:
            if length > limit:
                raise AnswerTooLarge(f"answer of {length} bytes, over {limit}", request=request)
            return await answer.read()  # the parser stops at Content-Length
        chunks: list[bytes] = []
        size = 0
        async for chunk in answer.content.iter_any():
            size += len(chunk)
            if size > limit:
                raise AnswerTooLarge(f"answer over {limit} bytes", request=request)
            chunks.append(chunk)
        return b"".join(chunks)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def whole_answer(
    status: int,
    headers: Sequence[tuple[bytes, bytes]],
    body: bytes,
    request: httpx.Request,
    extensions: dict[str, Any],
) -> FastJsonResponse:
    """``FastJsonResponse(status, headers=headers, content=body, …)``: what httpx makes of an
    answer read whole, without its way there. Given ``content``, httpx adds a missing
    ``Content-Length``, then reads the body back through a chunker and the decoder that
    ``Content-Encoding`` picks (decoding every header to find it), and marks the stream read
    and closed: ~18 µs per answer, against ~4 µs for the same object made here. An answer
    with a ``Content-Encoding`` takes httpx's way, which decodes it.
    ``tests/unit/test_httpclient.py`` holds the two equal, attribute by attribute."""
    names = {name.lower() for name, _ in headers}
    if b"content-encoding" in names:
        return FastJsonResponse(
            status, headers=headers, content=body, request=request, extensions=extensions
        )
    response = FastJsonResponse(
        status,
        headers=headers,
        stream=httpx.ByteStream(body),
        request=request,
        extensions=extensions,
    )
    if body and b"content-length" not in names:
        response.headers["Content-Length"] = str(len(body))
    response._content = body  # what read() leaves: the body, the stream read and closed
    response.is_stream_consumed = True
    response.is_closed = True
    return response


def _mapped(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    message = str(exc) or type(exc).__name__
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message, request=request)
    if isinstance(exc, TimeoutError):  # aiohttp's socket read timeout, among others
        return httpx.ReadTimeout(message, request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, unreachable, no such host
        return httpx.ConnectError(message, request=request)
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol(message, request=request)
    return httpx.RemoteProtocolError(message, request=request)  # reset, cut short, not HTTP


@functools.lru_cache(maxsize=1024)
def _target(url: httpx.URL) -> yarl.URL:
    """httpx's URL as aiohttp's, parsed once per URL: a province's endpoints repeat, and
    httpx has already encoded it."""
    return yarl.URL(str(url), encoded=True)


@functools.lru_cache(maxsize=64)
def _client_timeout(
    connect: float | None, read: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """httpx's per-phase timeouts as aiohttp's (the overall deadline is the caller's)."""
    return aiohttp.ClientTimeout(sock_connect=connect, sock_read=read, connect=pool)


def make_client(
    *,
    transport: str = "aiohttp",
    max_connections: int = 0,
    max_keepalive_connections: int = 256,
    max_answer_bytes: int = MAX_ANSWER_BYTES,
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
    chosen: httpx.AsyncBaseTransport = (
        AiohttpTransport(limits, max_answer_bytes=max_answer_bytes)
        if transport == "aiohttp"
        else _FastJson(httpx.AsyncHTTPTransport(limits=limits, trust_env=False))
    )
    client = GatewayClient(
        transport=chosen,
        timeout=httpx.Timeout(10.0, connect=3.0),
        follow_redirects=False,
        trust_env=False,
        event_hooks=hooks,
    )
    client._cookies = _NoCookies()  # httpx has no switch for this; the attribute is its own
    return client
