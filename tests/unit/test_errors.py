"""Exception handlers (gateway/errors.py) on a bare app: what is an error and what is not."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import structlog
from fastapi import FastAPI, Request

from gateway import errors


def _app() -> FastAPI:
    app = FastAPI()
    errors.install(app)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    return app


async def _call(app: FastAPI, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/echo",
        "raw_path": b"/echo",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    pending = list(messages)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    await app(scope, receive, send)
    return sent


async def test_a_client_leaving_mid_body_is_not_an_error() -> None:
    with structlog.testing.capture_logs() as logged:
        await _call(_app(), [{"type": "http.request", "body": b'{"a":', "more_body": True}])
    events = [e["event"] for e in logged]
    assert "client_disconnected" in events
    assert "unhandled_error" not in events


async def test_a_whole_body_is_read() -> None:
    sent = await _call(_app(), [{"type": "http.request", "body": b"{}", "more_body": False}])
    assert sent[0]["status"] == 200
