"""gateway/app.py: the serving process's start-up (its lifespan) and its order of routes."""

from __future__ import annotations

import gc
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.routing import BaseRoute, Match

from gateway.api.item_route import ItemRoute
from gateway.api.queries import QueryRoute
from gateway.app import create_app
from gateway.catalogue import Catalogue
from gateway.store.migrate import upgrade_async
from schemas._model import Kind
from tests.conftest import make_settings


async def test_start_up_freezes_what_it_built_and_raises_the_young_gc_threshold(
    sqlite_url: str,
) -> None:
    await upgrade_async(sqlite_url)
    before = gc.get_threshold()
    app = create_app(make_settings(sqlite_url, gc_young_threshold=12_345))
    try:
        async with app.router.lifespan_context(app):
            assert gc.get_threshold()[0] == 12_345
            assert gc.get_threshold()[1:] == before[1:]
            assert gc.get_freeze_count() > 10_000  # catalogue models, routes, provinces
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _scope(path: str, method: str = "POST") -> dict[str, Any]:
    return {"type": "http", "path": path, "method": method, "root_path": ""}


def _matches(route: BaseRoute, scope: dict[str, Any]) -> bool:
    match, _ = route.matches(dict(scope))
    return match is Match.FULL


def _routed(app: FastAPI, scope: dict[str, Any]) -> BaseRoute | None:
    """The route the app's router hands ``scope`` to: the first that matches in full."""
    return next((route for route in app.router.routes if _matches(route, scope)), None)


def test_every_item_path_reaches_its_own_route(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url))
    for item in Catalogue.load().items():
        kind = "queries" if item.kind is Kind.query else "applications"
        route = _routed(app, _scope(f"/v1/items/{item.code}/{kind}"))
        assert isinstance(route, ItemRoute), item.code
        assert route.operation_id == item.operation_id
        assert isinstance(route, QueryRoute) is (item.kind is Kind.query)


def test_routes_are_tried_queries_first_then_cases_then_submissions(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url))
    case = _scope("/v1/applications/abc", "GET")
    order: list[str] = []
    for route in app.router.routes:
        if isinstance(route, QueryRoute):
            kind = "queries"
        elif isinstance(route, ItemRoute):
            kind = "submissions"
        elif _matches(route, case):
            kind = "cases"
        else:
            continue
        if not order or order[-1] != kind:
            order.append(kind)
    assert order == ["queries", "cases", "submissions"]
    assert sum(isinstance(route, ItemRoute) for route in app.router.routes) == 132


async def test_requests_around_item_paths_are_answered_as_before(sqlite_url: str) -> None:
    await upgrade_async(sqlite_url)
    app = create_app(make_settings(sqlite_url))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        wrong = await client.get("/v1/items/social-insurance-contributions/queries")
        assert wrong.status_code == 405
        assert wrong.headers["allow"] == "POST"
        missing = await client.post("/v1/items/no-such-item/queries", json={})
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")
        # Behind the query routes, the cases' routes still answer (no key: 401).
        assert (await client.get("/v1/applications/abc")).status_code == 401
        assert (await client.get("/healthz")).status_code == 200
