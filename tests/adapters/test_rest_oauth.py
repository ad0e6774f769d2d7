"""The JSON REST family against respx-mocked endpoints: auth, envelopes, error mapping."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
import respx

from adapters.base import ItemBinding, ProvinceConfig, SubmitRequest
from adapters.errors import (
    CaseNotFound,
    ItemNotServed,
    UpstreamAuthFailed,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from adapters.rest_oauth import family
from schemas._status import CaseStatus

BASE = "http://gd.example/440000"
CONFIG = ProvinceConfig(
    code="440000",
    family="rest_oauth",
    base_url=BASE,
    timeout_seconds=2,
    credentials={"client_id": "id", "client_secret": "secret"},
    items={"unemployment-registration": ItemBinding(local_code="GD-0207")},
)
TOKEN = {"access_token": "t1", "token_type": "Bearer", "expires_in": 600}
CASE = {"bjbh": "GD1", "zt": "1", "ztms": "已接件", "gxsj": "20240301093000"}


def ok(data: object) -> httpx.Response:
    return httpx.Response(200, json={"code": "0000", "msg": "成功", "data": data})


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


async def test_submit_translates_and_reuses_the_token(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE, assert_all_called=True) as mock:
        token = mock.post("/oauth/token", name="token").respond(json=TOKEN)
        submit = mock.post("/api/v1/bj/sb", name="submit").mock(return_value=ok(CASE))
        status = mock.get("/api/v1/bj/GD1", name="status").mock(
            return_value=ok({**CASE, "zt": "11", "bjjg": {"wsbh": "W1", "bjrq": "20240305"}})
        )
        adapter = family.bind(CONFIG, http)
        state = await adapter.submit(
            SubmitRequest(
                item="unemployment-registration",
                serial="S1",
                data={
                    "applicant": {"name": "张三", "id_number": "11010519491231002X"},
                    "unemployment_date": "2024-03-01",
                },
            )
        )
        assert state.reference == "GD1"
        assert state.status is CaseStatus.received
        final = await adapter.status("unemployment-registration", "GD1")
        assert final.status is CaseStatus.approved
        assert final.result == {"decision_number": "W1", "decided_on": "2024-03-05"}
    assert token.call_count == 1
    body = json.loads(submit.calls.last.request.content)
    assert body == {
        "sxbm": "GD-0207",
        "ywlsh": "S1",
        "sjly": "id",
        "bdsj": {
            "sqr": {"xm": "张三", "sfzh": "11010519491231002X"},
            "unemployment_date": "20240301",
        },
    }
    assert submit.calls.last.request.headers["authorization"] == "Bearer t1"
    assert status.called


async def test_an_early_401_fetches_a_new_token_once(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        token = mock.post("/oauth/token").mock(
            side_effect=[
                httpx.Response(200, json=TOKEN),
                httpx.Response(200, json={**TOKEN, "access_token": "t2"}),
            ]
        )
        route = mock.get("/api/v1/bj/GD1").mock(
            side_effect=[
                httpx.Response(401, json={"code": "4010", "msg": "令牌过期"}),
                ok(CASE),
            ]
        )
        state = await family.bind(CONFIG, http).status("x", "GD1")
    assert state.reference == "GD1"
    assert token.call_count == 2
    assert route.calls.last.request.headers["authorization"] == "Bearer t2"


async def test_refused_credentials_are_an_auth_failure(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.post("/oauth/token").respond(401, json={"error": "invalid_client"})
        with pytest.raises(UpstreamAuthFailed) as caught:
            await family.bind(CONFIG, http).status("x", "GD1")
    assert caught.value.province == "440000"


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(200, json={"code": "1001", "msg": "sfzh 格式错误"}), UpstreamRejected),
        (httpx.Response(200, json={"code": "1002", "msg": "事项未开通"}), ItemNotServed),
        (httpx.Response(200, json={"code": "2001", "msg": "办件不存在"}), CaseNotFound),
        (httpx.Response(500, json={"code": "5000", "msg": "系统异常"}), UpstreamUnavailable),
        (httpx.Response(502, text="<html>bad gateway</html>"), UpstreamUnavailable),
        (httpx.Response(429, json={"code": "4290"}), UpstreamUnavailable),
        (httpx.Response(200, text="<html>login</html>"), UpstreamProtocolError),
        (
            httpx.Response(200, json={"code": "0000", "data": {"bjbh": "GD1", "zt": "99"}}),
            UpstreamProtocolError,
        ),
        (httpx.Response(200, json=[1, 2]), UpstreamProtocolError),
    ],
)
async def test_error_mapping(
    http: httpx.AsyncClient, response: httpx.Response, error: type[Exception]
) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.post("/oauth/token").respond(json=TOKEN)
        mock.get("/api/v1/bj/GD1").mock(return_value=response)
        with pytest.raises(error):
            await family.bind(CONFIG, http).status("x", "GD1")


async def test_timeouts_and_connection_errors_are_mapped(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.post("/oauth/token").respond(json=TOKEN)
        route = mock.get("/api/v1/bj/GD1")
        route.side_effect = httpx.ReadTimeout
        with pytest.raises(UpstreamTimeout):
            await family.bind(CONFIG, http).status("x", "GD1")
        route.side_effect = httpx.ConnectError
        with pytest.raises(UpstreamUnavailable):
            await family.bind(CONFIG, http).status("x", "GD1")


async def test_item_without_binding_is_not_served(http: httpx.AsyncClient) -> None:
    with pytest.raises(ItemNotServed):
        await family.bind(CONFIG, http).query("pension-transfer-employee", {})
