"""gateway/api/item_route.py: ``ItemRoute`` passes over other paths quickly, and otherwise
answers as ``APIRoute`` does. The app's order of routes: tests/integration/test_app.py."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from gateway.api.item_route import ItemRoute

PATH = "/v1/items/pension-transfer-employee/applications"


async def _endpoint() -> dict[str, str]:
    return {"ok": "yes"}


def _scope(path: str, method: str = "POST", **extra: Any) -> dict[str, Any]:
    return {"type": "http", "path": path, "method": method, "root_path": "", **extra}


@pytest.mark.parametrize(
    "scope",
    [
        _scope(PATH),
        _scope(PATH, "GET"),  # the path but not the method: PARTIAL (a 405)
        _scope(PATH + "/"),
        _scope(PATH.upper()),
        _scope("/v1/items/pension-transfer-employee/queries"),
        _scope("/v1/applications/abc", "GET"),
        _scope("/"),
        _scope("/api" + PATH, root_path="/api"),  # mounted under a root path
        _scope("/api" + PATH, root_path="/other"),
        _scope(PATH, root_path="/api"),
        {"type": "websocket", "path": PATH, "root_path": ""},
    ],
)
def test_its_verdicts_are_api_routes(scope: dict[str, Any]) -> None:
    quick = ItemRoute(PATH, _endpoint, methods=["POST"])
    plain = APIRoute(PATH, _endpoint, methods=["POST"])
    match, child = quick.matches(dict(scope))
    assert (match, child) == plain.matches(dict(scope))


def test_it_refuses_a_path_with_parameters() -> None:
    with pytest.raises(ValueError, match="without parameters"):
        ItemRoute("/v1/items/{code}/queries", _endpoint, methods=["POST"])


async def test_included_under_a_prefix_it_still_serves() -> None:
    router = APIRouter(route_class=ItemRoute)
    router.add_api_route("/items/a/queries", _endpoint, methods=["POST"])
    app = FastAPI()
    app.include_router(router, prefix="/v2")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.post("/v2/items/a/queries")).json() == {"ok": "yes"}
        assert (await client.get("/v2/items/a/queries")).status_code == 405
        assert (await client.post("/items/a/queries")).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/v2/items/a/queries", "/v2/items/a/queries/", "/items/a/queries", "/v2/items/b/queries"],
)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_under_a_prefix_its_verdicts_are_api_routes(path: str, method: str) -> None:
    verdicts = []
    for route_class in (ItemRoute, APIRoute):
        router = APIRouter(route_class=route_class)
        router.add_api_route("/items/a/queries", _endpoint, methods=["POST"])
        app = FastAPI()
        app.include_router(router, prefix="/v2")
        verdicts.append([route.matches(_scope(path, method))[0] for route in app.router.routes])
    assert verdicts[0] == verdicts[1]
