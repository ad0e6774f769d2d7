"""Exception handlers (gateway/errors.py) on a bare app: what is an error and what is not."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import orjson
import structlog
from fastapi import FastAPI, Request

from gateway import errors
from gateway.errors import _field


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
    # Logged by route template, never by path (a path may hold an ID number typed as an id).
    assert [e["route"] for e in logged if e["event"] == "client_disconnected"] == ["/echo"]
    assert all("path" not in e for e in logged)


async def test_a_whole_body_is_read() -> None:
    sent = await _call(_app(), [{"type": "http.request", "body": b"{}", "more_body": False}])
    assert sent[0]["status"] == 200


def test_a_field_named_with_a_lone_surrogate_can_still_be_written() -> None:
    # {"items": {"\ud800": …}}: the problem naming that key could not be encoded (a 500).
    assert _field(("body", "items", "\ud800", "local_code")) == "items.\\ud800.local_code"
    orjson.dumps({"field": _field(("body", "\ud800"))})
