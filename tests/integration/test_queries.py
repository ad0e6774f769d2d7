"""The query route's own handler answers as FastAPI's generic one would (gateway/api/queries)."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any

import httpx
import orjson
import pytest
from fastapi import Body, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from gateway.admission import Admission
from gateway.api.queries import parse
from gateway.app import create_app
from gateway.store.migrate import upgrade_async
from sandbox.testing import running_server
from schemas.hrss import ContributionQuery
from tests.conftest import PROVINCE_FAMILY, Sandboxes, make_settings
from tests.integration.conftest import Gateway, make_clients

PATH = "/v1/items/social-insurance-contributions/queries"
GOOD = {"person": {"name": "张三", "id_number": "11010519491231002X"}, "provinces": ["440000"]}

BODIES: list[tuple[bytes, str | None]] = [
    (b"", "application/json"),
    (b"{", "application/json"),
    (b"[]", "application/json"),
    (b"\xff\xfe", "application/json"),
    (b'{"person": {"name": "x", "id_number": "110105194912310021"}}', "application/json"),
    (b'{"person": 1, "provinces": ["999999"], "from_month": "2024-13"}', "application/json"),
    (b'{"a": 1}', "text/plain"),
    (b'{"a": 1}', None),
    (b'{"a": 1}', "application/problem+json; charset=utf-8"),
]


# FastAPI validates a decoded body as Python objects, we validate the JSON: the same
# verdict, under the name pydantic gives it in JSON mode.
_SAME = {"model_attributes_type": "model_type"}


async def _fastapi_errors(body: bytes, content_type: str | None) -> list[tuple[Any, ...]]:
    """What FastAPI's generic handler finds wrong with ``body`` (type and location)."""
    app = FastAPI()
    found: list[dict[str, Any]] = []

    @app.exception_handler(RequestValidationError)
    async def keep(request: Any, exc: RequestValidationError) -> Any:
        found.extend(exc.errors())
        return Response(status_code=422)

    @app.post("/q")
    async def query(body: Annotated[ContributionQuery, Body()]) -> None:
        return None

    headers = {"content-type": content_type} if content_type else {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post("/q", content=body, headers=headers)
    if response.status_code == 400:  # undecodable: FastAPI gives up before validating
        return [("json_invalid", ("body",))]
    return sorted((_SAME.get(e["type"], e["type"]), tuple(e["loc"])[:2]) for e in found)


def _ours(body: bytes, content_type: str | None) -> list[tuple[Any, ...]]:
    with pytest.raises(RequestValidationError) as caught:
        parse(ContributionQuery, body, content_type)
    return sorted((e["type"], tuple(e["loc"])[:2]) for e in caught.value.errors())


@pytest.mark.parametrize(("body", "content_type"), BODIES)
async def test_parse_finds_what_fastapi_finds(body: bytes, content_type: str | None) -> None:
    ours = _ours(body, content_type)
    theirs = await _fastapi_errors(body, content_type)
    if theirs and theirs[0][0] == "json_invalid":
        # The same verdict; FastAPI puts the character offset where we put nothing.
        assert [e[0] for e in ours] == ["json_invalid"]
        assert all(e[1][0] == "body" for e in ours)
    else:
        assert ours == theirs


def test_parse_accepts_json_media_types() -> None:
    for content_type in ("application/json", "Application/JSON; charset=utf-8"):
        query = parse(ContributionQuery, orjson.dumps(GOOD), content_type)
        assert isinstance(query, ContributionQuery)


async def test_query_route_checks_auth_scope_and_body(gateway: Gateway) -> None:
    http = gateway.http
    assert (await http.post(PATH, json=GOOD)).status_code == 401
    basic = await http.post(PATH, json=GOOD, headers={"Authorization": "Basic x"})
    assert basic.status_code == 401
    refused = await http.post(PATH, json=GOOD, headers={"Authorization": "Bearer tbk_nope"})
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"

    bad = await http.post(
        PATH,
        json={**GOOD, "person": {"name": "张三", "id_number": "110105194912310021"}},
        headers=gateway.auth(),
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["person.id_number"]
    assert "110105194912310021" not in bad.text

    ok = await http.post(PATH, json=GOOD, headers=gateway.auth())
    assert ok.status_code == 200, ok.text
    assert ok.headers["content-type"] == "application/json"
    assert int(ok.headers["RateLimit-Limit"]) > 0  # the client's quota was counted
    assert ok.json()["complete"] is True


async def test_admin_key_lacks_the_item_scope(gateway: Gateway) -> None:
    response = await gateway.http.post(PATH, json=GOOD, headers=gateway.auth(gateway.admin_key))
    assert response.status_code == 403
    assert response.json()["required_scope"]


async def test_admission_works_queries_in_turns_when_capped(
    sqlite_url: str, fresh_sandboxes: Sandboxes
) -> None:
    """``query_max_in_flight=3``: four queries, each to its own province answering in 0.3 s,
    are worked on three at a time (≥ 0.6 s in all; ~0.3 s without the cap), and every one is
    answered. (The bulkhead must stay below the cap; 2 leaves room for health pings.)"""
    await upgrade_async(sqlite_url)
    key = (await make_clients(sqlite_url))["app"].key
    provinces = [code for code, family in PROVINCE_FAMILY.items() if family == "rest_oauth"][:4]
    for code in provinces:
        await fresh_sandboxes.configure(province=code, latency_ms=300)
    settings = make_settings(
        sqlite_url,
        province_base_urls=fresh_sandboxes.overrides(),
        query_max_in_flight=3,
        province_max_concurrency=2,
    )
    app = create_app(settings)
    assert isinstance(app.build_middleware_stack(), Admission)  # outside every middleware
    with running_server(app, lifespan="on", startup_timeout=20) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=20) as http:
            headers = {"Authorization": f"Bearer {key}"}

            async def ask_all() -> list[httpx.Response]:
                return await asyncio.gather(
                    *(
                        http.post(PATH, json={**GOOD, "provinces": [code]}, headers=headers)
                        for code in provinces
                    )
                )

            await ask_all()  # each province's OAuth token, fetched once (0.3 s too)
            started = time.monotonic()
            answers = await ask_all()
            elapsed = time.monotonic() - started
    assert [a.status_code for a in answers] == [200] * 4
    assert elapsed >= 0.6
