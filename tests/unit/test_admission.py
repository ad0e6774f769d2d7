"""Queries wait for a turn at the edge of the app, outside every middleware; everything else
passes (gateway/admission)."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.admission import ARRIVED, Admission, AdmittingFastAPI, is_query

QUERY = "/v1/items/social-insurance-contributions/queries"


class Recorder:
    """An app that takes a while, noting how many of its calls overlap and in what order."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.order: list[str] = []
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        self.order.append(scope["tag"])
        try:
            await self.release.wait()
        finally:
            self.running -= 1


def _scope(method: str, path: str, tag: str, slots: asyncio.Semaphore) -> dict[str, Any]:
    app = SimpleNamespace(state=SimpleNamespace(runtime=SimpleNamespace(admission=slots)))
    return {"type": "http", "method": method, "path": path, "tag": tag, "app": app}


async def _noop_receive() -> dict[str, Any]:
    return {"type": "http.disconnect"}


async def _noop_send(message: Any) -> None:
    return None


async def test_queries_beyond_the_limit_wait_their_turn_in_order() -> None:
    inner = Recorder()
    admission = Admission(inner)
    slots = asyncio.Semaphore(2)
    scopes = [_scope("POST", QUERY, f"q{i}", slots) for i in range(6)]
    before = time.perf_counter()
    calls = [asyncio.create_task(admission(s, _noop_receive, _noop_send)) for s in scopes]
    await asyncio.sleep(0.01)
    assert inner.running == 2
    assert inner.order == ["q0", "q1"]
    # Each noted when it arrived, the waiting ones too: the access log times from there.
    assert all(before <= s[ARRIVED] <= time.perf_counter() for s in scopes)

    # While the queries are held, other calls pass straight through.
    health = asyncio.create_task(
        admission(_scope("GET", "/healthz", "health", slots), _noop_receive, _noop_send)
    )
    submit = asyncio.create_task(
        admission(_scope("POST", "/v1/applications", "submit", slots), _noop_receive, _noop_send)
    )
    await asyncio.sleep(0.01)
    assert inner.order[-2:] == ["health", "submit"]

    inner.release.set()
    await asyncio.gather(*calls, health, submit)
    assert [tag for tag in inner.order if tag.startswith("q")] == [f"q{i}" for i in range(6)]
    assert inner.most == 4  # two queries, the health check and the submission
    assert slots._value == 2  # every slot given back


async def test_a_failing_query_gives_its_slot_back() -> None:
    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("boom")

    slots = asyncio.Semaphore(1)
    admission = Admission(failing)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            await admission(_scope("POST", QUERY, "q", slots), _noop_receive, _noop_send)
    assert not slots.locked()


def test_only_item_queries_are_admitted() -> None:
    slots = asyncio.Semaphore(1)
    assert is_query(_scope("POST", QUERY, "", slots))
    assert not is_query(_scope("GET", QUERY, "", slots))
    assert not is_query(_scope("POST", "/v1/applications", "", slots))
    assert not is_query(_scope("POST", "/v1/items/x/queries/extra", "", slots))


class Entered:
    """A middleware noting the paths that reached it."""

    def __init__(self, app: ASGIApp, seen: list[str]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append(scope["path"])
        await self.app(scope, receive, send)


async def test_a_waiting_query_has_entered_no_middleware() -> None:
    """The app's stack, FastAPI's own outermost layers included, runs only once the query
    has its turn: a waiting query holds no frames of it. Other calls are not held."""
    seen: list[str] = []
    app = AdmittingFastAPI()
    app.add_middleware(Entered, seen=seen)
    slots = asyncio.Semaphore(1)
    app.state.runtime = SimpleNamespace(admission=slots)
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        await slots.acquire()
        query = asyncio.create_task(http.post(QUERY, json={}))
        await asyncio.sleep(0.05)
        assert seen == []
        assert (await http.get("/healthz")).status_code == 404  # passed, while queries wait
        assert seen == ["/healthz"]
        slots.release()
        assert (await query).status_code == 404  # no such route in this bare app
    assert seen == ["/healthz", QUERY]
    assert slots._value == 1
