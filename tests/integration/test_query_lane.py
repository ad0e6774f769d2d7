"""``QueryLane`` answers every query as the router would (gateway/api/query_lane.py).

Each request is sent twice to the same running gateway: through the lane, then with the
lane passing everything on to the router. Answers must agree: status, media type, the
headers a client reads, and the body (less what differs per request).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from gateway.api.query_lane import QueryLane
from tests.conftest import Sandboxes
from tests.integration.conftest import Gateway

QUERY = "/v1/items/social-insurance-contributions/queries"
GOOD = {"person": {"name": "张三", "id_number": "11010519491231002X"}, "provinces": ["440000"]}
FAILING = "310000"  # rest_oauth; answers cut-short JSON for two calls below (502s)
READ = ("content-type", "retry-after", "ratelimit-limit", "allow", "x-content-type-options")


def _answer(response: httpx.Response) -> dict[str, Any]:
    body: Any = response.text
    if response.headers.get("content-type", "").endswith("json"):
        body = response.json()
        if isinstance(body, dict):
            body.pop("request_id", None)
            body.pop("instance", None)
    return {
        "status": response.status_code,
        "headers": {name: response.headers.get(name) for name in READ},
        "body": body,
    }


async def _both_ways(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch, request: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    through_lane = _answer(await gateway.http.request(**request))
    with monkeypatch.context() as patch:

        async def router_only(self: QueryLane, scope: Scope, receive: Receive, send: Send) -> None:
            await self.app(scope, receive, send)

        patch.setattr(QueryLane, "__call__", router_only)
        through_router = _answer(await gateway.http.request(**request))
    return through_lane, through_router


async def test_the_lane_answers_as_the_router(
    gateway: Gateway, fresh_sandboxes: Sandboxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = gateway.auth()
    requests: dict[str, dict[str, Any]] = {
        "answered": {"method": "POST", "url": QUERY, "json": GOOD, "headers": auth},
        "no credential": {"method": "POST", "url": QUERY, "json": GOOD},
        "unknown key": {
            "method": "POST", "url": QUERY, "json": GOOD,
            "headers": {"Authorization": "Bearer tbk_nope"},
        },
        "no scope": {
            "method": "POST", "url": QUERY, "json": GOOD,
            "headers": gateway.auth(gateway.admin_key),
        },
        "bad body": {
            "method": "POST", "url": QUERY, "headers": auth,
            "json": {**GOOD, "person": {"name": "张三", "id_number": "110105194912310021"}},
        },
        "not JSON": {
            "method": "POST", "url": QUERY, "headers": {**auth, "Content-Type": "text/plain"},
            "content": b"{}",
        },
        "no such query item": {
            "method": "POST", "url": "/v1/items/no-such-item/queries", "json": GOOD,
            "headers": auth,
        },
        "a submission item's path": {
            "method": "POST", "url": "/v1/items/birth-registration/queries", "json": GOOD,
            "headers": auth,
        },
        "not a POST": {"method": "GET", "url": QUERY, "headers": auth},
    }  # fmt: skip
    for name, request in requests.items():
        through_lane, through_router = await _both_ways(gateway, monkeypatch, request)
        assert through_lane == through_router, name
    assert (await gateway.http.post(QUERY, json=GOOD, headers=auth)).status_code == 200

    # A province failing: two calls (and perhaps a health ping) stay below the breaker's
    # five consecutive failures, so both ways meet the same 502, not one an open breaker.
    await fresh_sandboxes.configure(province=FAILING, malformed_rate=1.0)
    failing = {
        "method": "POST",
        "url": QUERY,
        "headers": auth,
        "json": {**GOOD, "provinces": [FAILING]},
    }
    through_lane, through_router = await _both_ways(gateway, monkeypatch, failing)
    await fresh_sandboxes.configure(province=FAILING, malformed_rate=0.0)
    assert through_lane == through_router
    assert through_lane["status"] == 502
    assert through_lane["body"]["province"] == FAILING


async def test_the_lane_records_the_route_it_took(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The access log and the metrics read the route from the scope, as the router sets it."""
    seen: list[Any] = []
    original = QueryLane.__call__

    async def watching(self: QueryLane, scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            # Before the answer leaves (the client may read it before the call returns).
            if message["type"] == "http.response.start":
                seen.append((scope.get("route"), scope.get("endpoint"), scope.get("path_params")))
            await send(message)

        await original(self, scope, receive, sending)

    monkeypatch.setattr(QueryLane, "__call__", watching)
    response = await gateway.http.post(QUERY, json=GOOD, headers=gateway.auth())
    assert response.status_code == 200
    route, endpoint, path_params = seen[-1]
    assert route.path == QUERY
    assert endpoint is route.endpoint
    assert path_params == {}
