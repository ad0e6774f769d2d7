"""Client webhooks: signed deliveries of status changes; dead letters after failures."""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.testing import running_server
from tests.integration.conftest import Gateway
from tests.integration.test_end_to_end import unemployment


class Receiver:
    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.fail = False

    async def endpoint(self, request: Request) -> Response:
        self.received.append((dict(request.headers), await request.body()))
        return Response(status_code=500 if self.fail else 204)


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()
    app = Starlette(routes=[Route("/hook", state.endpoint, methods=["POST"])])
    with running_server(app) as url:
        yield state, f"{url}/hook"


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    parts = dict(p.split("=", 1) for p in headers["tongban-signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, "sm3").hexdigest()
    return hmac.compare_digest(expected, parts["v1"]) and abs(int(parts["t"]) - time.time()) < 60


async def test_status_changes_are_delivered_signed(
    gateway: Gateway, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    setting = await gateway.http.put("/v1/webhook", headers=gateway.auth(), json={"url": url})
    assert setting.status_code == 200, setting.text
    secret = setting.json()["secret"]
    assert secret.startswith("whsec_")
    assert (await gateway.http.get("/v1/webhook", headers=gateway.auth())).json()["secret"] is None

    response = await gateway.submit("unemployment-registration", unemployment("440000"))
    case_id = response.json()["id"]
    await gateway.wait_terminal(case_id)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        statuses = [orjson.loads(body)["status"] for _, body in state.received]
        if "completed" in statuses:
            break
        await asyncio.sleep(0.05)
    # One case's changes arrive in the order they happened (delivered in turn, not at once).
    assert statuses[-1] == "completed"
    assert statuses[0] == "received"
    payloads = [orjson.loads(body) for _, body in state.received]
    assert [p["at"] for p in payloads] == sorted(p["at"] for p in payloads)
    assert [p["previous_status"] for p in payloads[1:]] == statuses[:-1]
    for headers, body in state.received:
        assert verify(secret, headers, body)
        payload: dict[str, Any] = orjson.loads(body)
        assert payload["id"] == case_id
        assert "id_number" not in payload


async def test_failing_receiver_ends_in_the_dead_letter_list(
    gateway: Gateway, receiver: tuple[Receiver, str]
) -> None:
    state, url = receiver
    state.fail = True
    await gateway.http.put("/v1/webhook", headers=gateway.auth(), json={"url": url})
    response = await gateway.submit("unemployment-registration", unemployment("440000"))
    await gateway.wait_terminal(response.json()["id"])
    deadline = time.monotonic() + 20
    dead: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not dead:
        listed = await gateway.http.get(
            "/v1/webhook/deliveries", headers=gateway.auth(), params={"state": "dead"}
        )
        dead = listed.json()
        await asyncio.sleep(0.1)
    assert dead, "no delivery was dead-lettered"
    assert dead[0]["attempts"] >= 2
    assert dead[0]["last_status"] == 500
    other = await gateway.http.get(
        "/v1/webhook/deliveries", headers=gateway.auth(gateway.other_key)
    )
    assert other.json() == []  # dead letters are per client
    state.fail = False
    retried = await gateway.http.post(
        f"/v1/webhook/deliveries/{dead[0]['id']}/retry", headers=gateway.auth()
    )
    assert retried.status_code == 202


async def test_webhook_urls_are_checked(gateway: Gateway) -> None:
    for url in (
        "ftp://example.com/x",
        "http://user:pw@example.com/x",
        "not a url",
        "http://[::1",  # urlsplit raises on these (was a 500)
        "http://example.com:abc/",  # accepted, then every delivery round failed on it
        "http://example.com:99999/",
    ):
        response = await gateway.http.put("/v1/webhook", headers=gateway.auth(), json={"url": url})
        assert response.status_code == 422, url


async def test_a_delivery_id_beyond_the_column_is_refused(gateway: Gateway) -> None:
    response = await gateway.http.post(
        f"/v1/webhook/deliveries/{2**63}/retry", headers=gateway.auth()
    )
    assert response.status_code == 422  # was a 500 (SQLite) or a 503 (PostgreSQL)
    assert response.json()["errors"][0]["field"] == "path.delivery_id"
