"""ASGI middleware: request body limits enforced while streaming, and security headers.

Pure ASGI (not BaseHTTPMiddleware): it sees the body as it arrives, so an oversized upload
is refused at the first byte past the limit, or before any, when Content-Length says so.
"""

from __future__ import annotations

import orjson
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.problems import MEDIA_TYPE, Problem, invalid_field

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
NO_STORE = (b"cache-control", b"no-store")


class BodyTooLarge(HTTPException):
    """An HTTPException, so FastAPI's body parsing lets it through to the problem handler."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request bodies are limited to {limit} bytes")


def _too_large(limit: int) -> Problem:
    return Problem(
        "too-large",
        413,
        "Request body too large / 请求体过大",
        f"request bodies are limited to {limit} bytes",
    )


def _nul(where: str) -> Problem:
    # No identifier or filter holds NUL, and PostgreSQL refuses it in text: left to reach
    # the database, it was a 503 "database unavailable, retry" that no retry could fix.
    return invalid_field(
        where, "NUL is not allowed / 不得包含空字符", detail=f"the {where} contains a NUL character"
    )


class Hardening:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await self._refuse(send, _too_large(limit))
                return
        query = scope.get("query_string", b"")
        if "\x00" in scope["path"] or b"%00" in query or b"\x00" in query:
            await self._refuse(send, _nul("path" if "\x00" in scope["path"] else "query"))
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def secure_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                if scope["path"].startswith(("/v1", "/admin", "/oauth")) and (
                    NO_STORE[0] not in present
                ):
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, secure_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, _too_large(limit))

    async def _refuse(self, send: Send, problem: Problem) -> None:
        body = orjson.dumps(problem.body())
        await send(
            {
                "type": "http.response.start",
                "status": problem.status,
                "headers": [
                    (b"content-type", MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
