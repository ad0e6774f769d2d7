"""Fault injection for the provincial endpoints: hang, latency, system errors.

A pure ASGI middleware. Only paths under a hosted province's prefix are affected; the
control API (`/_sandbox/...`) never is.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.state import SandboxState

HANG_SECONDS = 60.0
_POLL_SECONDS = 0.05


class FaultMiddleware:
    def __init__(
        self, app: ASGIApp, state: SandboxState, system_error: Callable[[], Response]
    ) -> None:
        self.app = app
        self.state = state
        self.system_error = system_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        province = _province_of(scope) if scope["type"] == "http" else None
        if province is None or self.state.province(province) is None:
            await self.app(scope, receive, send)
            return
        if self.state.settings(province).hang:
            held = await self._hold(province, receive)
            if held is None:
                return  # the client went away while held
            receive = held
        latency = self.state.settings(province).latency_ms
        if latency:
            await asyncio.sleep(latency / 1000)
        error_rate = self.state.settings(province).error_rate
        if error_rate and self.state.rng.random() < error_rate:
            await self.system_error()(scope, receive, send)
            return
        await self.app(scope, receive, send)

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


def _province_of(scope: Scope) -> str | None:
    path: str = scope.get("path", "")
    first = path.lstrip("/").split("/", 1)[0]
    return first or None
