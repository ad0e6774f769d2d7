"""Fault injection for the provincial endpoints (a pure ASGI middleware).

Only paths under a hosted province's prefix are affected; the control API (`/_sandbox/...`)
never is. In order, for a request to a province:

1. `down`: the province is unreachable, the way the family's real front end shows it
   (`FaultProfile.down`: an answer such as a 503, or None to close the connection without
   answering);
2. `hang`: hold the request until the client gives up, hang is switched off, or 60 s;
3. `latency_ms`: wait before answering;
4. `error_rate`: answer the family's system error instead;
5. the real answer, then, with their probabilities, `malformed_rate` (truncated body) and
   `wrong_encoding_rate` (the family's encoding broken, `FaultProfile.wrong_encoding`);
6. `slow_drip`: send the answer body at that many bytes per second.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.state import SandboxState

HANG_SECONDS = 60.0
_POLL_SECONDS = 0.05
_DRIP_TICKS_PER_SECOND = 10


@dataclass(frozen=True)
class FaultProfile:
    """What the faults look like on one family."""

    system_error: Callable[[], Response]
    # None: close the connection without an answer; else the answer a down province gives.
    down: Callable[[], Response] | None
    wrong_encoding: Callable[[bytes, random.Random], bytes]


def truncate(body: bytes) -> bytes:
    """A payload cut short: never parses as a whole JSON value or XML document."""
    if len(body) <= 1:
        return b"<" if not body else body + body
    return body[: max(1, len(body) * 3 // 5)]


def invalid_utf8(body: bytes, rng: random.Random) -> bytes:
    """JSON families: the text in GBK (as a misconfigured server sends it), or stray bytes."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    if rng.random() < 0.5 and not text.isascii():
        return text.encode("gbk", errors="replace")
    quote = body.find(b'"')
    at = quote + 1 if quote >= 0 else 0
    return body[:at] + b"\xff\xfe" + body[at:]


class FaultMiddleware:
    def __init__(self, app: ASGIApp, state: SandboxState, profile: FaultProfile) -> None:
        self.app = app
        self.state = state
        self.profile = profile

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        province = _province_of(scope) if scope["type"] == "http" else None
        if province is None or self.state.province(province) is None:
            await self.app(scope, receive, send)
            return
        settings = self.state.settings(province)
        if settings.down:
            if self.profile.down is None:
                await _close(receive, send)
            else:
                await self.profile.down()(scope, receive, send)
            return
        if settings.hang:
            held = await self._hold(province, receive)
            if held is None:
                return  # the client went away while held
            receive = held
        settings = self.state.settings(province)
        if settings.latency_ms:
            await asyncio.sleep(settings.latency_ms / 1000)
        rng = self.state.rng
        if settings.error_rate and rng.random() < settings.error_rate:
            await self.profile.system_error()(scope, receive, send)
            return
        mangle: Callable[[bytes], bytes] | None = None
        if settings.malformed_rate and rng.random() < settings.malformed_rate:
            mangle = truncate
        elif settings.wrong_encoding_rate and rng.random() < settings.wrong_encoding_rate:
            mangle = _bound(self.profile.wrong_encoding, rng)
        if mangle is None and not settings.slow_drip:
            await self.app(scope, receive, send)
            return
        start, body = await _capture(self.app, scope, receive)
        if start is None:
            return
        if mangle is not None:
            body = mangle(body)
            start = _with_length(start, len(body))
        await send(start)
        if settings.slow_drip:
            await _drip(body, settings.slow_drip, receive, send)
        else:
            await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _hold(self, province: str, receive: Receive) -> Receive | None:
        """Holds a request until the client disconnects, hang is switched off, or 60 s.

        Answers a `receive` replaying the request body, or None if the client disconnected.
        """
        buffered: list[Message] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            buffered.append(message)
            if not message.get("more_body", False):
                break
        disconnect = asyncio.ensure_future(receive())
        deadline = time.monotonic() + HANG_SECONDS
        try:
            while time.monotonic() < deadline and self.state.settings(province).hang:
                done, _ = await asyncio.wait({disconnect}, timeout=_POLL_SECONDS)
                if done:
                    return None
        finally:
            disconnect.cancel()  # no-op when already done

        async def replay() -> Message:
            if buffered:
                return buffered.pop(0)
            return await receive()

        return replay


def _bound(
    fn: Callable[[bytes, random.Random], bytes], rng: random.Random
) -> Callable[[bytes], bytes]:
    def bound(body: bytes) -> bytes:
        return fn(body, rng)

    return bound


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message | None, bytes]:
    start: Message | None = None
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = dict(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    return start, b"".join(chunks)


def _with_length(start: Message, length: int) -> Message:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(length).encode()))
    return {**start, "headers": headers}


async def _drip(body: bytes, rate: int, receive: Receive, send: Send) -> None:
    """Sends `body` at `rate` bytes per second; stops early if the client goes away."""
    chunk = max(1, rate // _DRIP_TICKS_PER_SECOND)
    pause = chunk / rate
    gone = asyncio.ensure_future(_disconnected(receive))
    try:
        for at in range(0, len(body), chunk):
            if gone.done():
                return
            last = at + chunk >= len(body)
            await send(
                {"type": "http.response.body", "body": body[at : at + chunk], "more_body": not last}
            )
            if not last:
                await asyncio.wait({gone}, timeout=pause)
        if not body:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        gone.cancel()


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _close(receive: Receive, send: Send) -> None:
    """Close the connection without answering.

    ASGI has no message for that: reach the server's transport through the bound `receive`
    of uvicorn's request cycle. Anywhere else, answer a bare 503 instead.
    """
    cycle: Any = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if cycle is None or transport is None or not hasattr(cycle, "disconnected"):
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [(b"content-type", b"text/plain"), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": b"Service Unavailable"})
        return
    cycle.disconnected = True  # uvicorn then neither answers 500 nor logs a missing answer
    with contextlib.suppress(Exception):
        transport.close()


def _province_of(scope: Scope) -> str | None:
    path: str = scope.get("path", "")
    first = path.lstrip("/").split("/", 1)[0]
    return first or None
