"""The access log and the request metrics (gateway/observability), one request at a time."""

from __future__ import annotations

import time
from typing import Any

import structlog

from gateway.admission import ARRIVED
from gateway.observability import ObservabilityMiddleware


async def _answer(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def _logged_ms(extra: dict[str, Any]) -> float:
    middleware = ObservabilityMiddleware(_answer, access_log=True, count=False)
    scope = {"type": "http", "method": "POST", "path": "/v1/items/x/queries", "headers": []}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        return None

    with structlog.testing.capture_logs() as logged:
        await middleware({**scope, **extra}, receive, send)
    (line,) = [e for e in logged if e["event"] == "http_request"]
    return float(line["duration_ms"])


async def test_a_query_is_timed_from_its_arrival_its_wait_included() -> None:
    assert await _logged_ms({ARRIVED: time.perf_counter() - 0.25}) >= 250
    assert await _logged_ms({}) < 250
