"""The shared client's own parts: the aiohttp transport (whole answers, a size cap, decoding,
request bodies) and ``GatewayClient.send``'s short road, against a local aiohttp server.

Transport errors under faults (resets, drips, refusals) are tested through the fault proxy,
for both transports, in ``test_faultproxy.py``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from adapters.errors import UpstreamProtocolError
from adapters.transport import json_request, send
from gateway.httpclient import (
    AnswerTooLarge,
    FastJsonResponse,
    GatewayClient,
    make_client,
    whole_answer,
)

CAP = 65_536


async def _echo(request: web.Request) -> web.Response:
    body = await request.read()
    return web.json_response(
        {
            "method": request.method,
            "length": len(body),
            "body": body.decode("utf-8", "replace"),
            "headers": {k.lower(): v for k, v in request.headers.items()},
        }
    )


async def _gzipped(request: web.Request) -> web.Response:
    payload = json.dumps({"名称": "广州"}, ensure_ascii=False).encode()
    return web.Response(
        body=gzip.compress(payload),
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )


async def _big(request: web.Request) -> web.Response:
    return web.Response(body=b"x" * (CAP + 1))


async def _big_chunked(request: web.Request) -> web.StreamResponse:
    answer = web.StreamResponse()
    answer.enable_chunked_encoding()
    await answer.prepare(request)
    for _ in range(CAP // 4096 + 2):
        await answer.write(b"y" * 4096)
    await answer.write_eof()
    return answer


async def _small_chunked(request: web.Request) -> web.StreamResponse:
    answer = web.StreamResponse()
    answer.enable_chunked_encoding()
    await answer.prepare(request)
    for part in (b'{"a":', b"[1,2,", b"3]}"):
        await answer.write(part)
    await answer.write_eof()
    return answer


async def _sets_a_cookie(request: web.Request) -> web.Response:
    answer = web.json_response({})
    answer.set_cookie("session", "province-a", path="/")
    return answer


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/echo", _echo)
    app.router.add_get("/gzip", _gzipped)
    app.router.add_get("/big", _big)
    app.router.add_get("/big-chunked", _big_chunked)
    app.router.add_get("/small-chunked", _small_chunked)
    app.router.add_get("/set-cookie", _sets_a_cookie)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    client = make_client(max_answer_bytes=CAP)
    try:
        yield client
    finally:
        await client.aclose()


async def test_an_answer_comes_whole_and_parses_with_orjson(
    server: str, http: httpx.AsyncClient
) -> None:
    response = await http.post(f"{server}/echo", json={"姓名": "张三"})
    assert isinstance(response, FastJsonResponse)
    assert response.is_stream_consumed or response.content  # read, nothing left to stream
    echoed = response.json()
    assert echoed["method"] == "POST"
    assert json.loads(echoed["body"]) == {"姓名": "张三"}
    assert echoed["headers"]["content-type"] == "application/json"
    assert response.request.url == httpx.URL(f"{server}/echo")
    assert response.http_version == "HTTP/1.1"
    assert response.reason_phrase == "OK"


@pytest.mark.parametrize("transport", ["aiohttp", "httpcore"])
async def test_no_cookie_a_province_sets_is_kept(server: str, transport: str) -> None:
    # By host name: aiohttp's default jar keeps cookies from names, not from IP addresses.
    # One province's cookie (a ``Domain=.gov.cn`` one would match every province) must never
    # travel with a later call.
    by_name = server.replace("127.0.0.1", "localhost")
    async with make_client(transport=transport) as http:
        first = await http.get(f"{by_name}/set-cookie")
        assert "set-cookie" in first.headers
        echoed = (await http.get(f"{by_name}/echo")).json()
    assert "cookie" not in echoed["headers"]


async def test_a_compressed_answer_is_decoded(server: str, http: httpx.AsyncClient) -> None:
    response = await http.get(f"{server}/gzip")
    assert response.json() == {"名称": "广州"}


async def test_a_chunked_answer_is_read_whole(server: str, http: httpx.AsyncClient) -> None:
    assert (await http.get(f"{server}/small-chunked")).json() == {"a": [1, 2, 3]}


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
async def test_an_answer_over_the_cap_is_a_protocol_error(
    server: str, http: httpx.AsyncClient, path: str
) -> None:
    with pytest.raises(AnswerTooLarge):
        await http.get(f"{server}{path}")
    request = http.build_request("GET", f"{server}{path}")
    with pytest.raises(UpstreamProtocolError) as caught:
        await send(http, request, province="440000", deadline=5.0)
    assert caught.value.province == "440000"
    # The connection is dropped, not reused half-read: the next call is answered normally.
    assert (await http.get(f"{server}/echo")).json()["method"] == "GET"


async def test_a_streamed_request_body_is_sent_whole(server: str, http: httpx.AsyncClient) -> None:
    response = await http.post(f"{server}/echo", files={"file": ("a.txt", b"abc" * 1000)})
    echoed = response.json()
    assert "transfer-encoding" not in echoed["headers"]
    assert echoed["length"] == int(echoed["headers"]["content-length"])
    assert "abc" * 1000 in echoed["body"]


async def test_the_short_road_runs_request_hooks_and_sets_timeouts(server: str) -> None:
    seen: list[httpx.Request] = []

    async def hook(request: httpx.Request) -> None:
        request.headers["x-trace"] = "t-1"
        seen.append(request)

    client = make_client(request_hooks=[hook])
    try:
        request = client.build_request("GET", f"{server}/echo", extensions={})
        request.extensions.pop("timeout", None)
        response = await client.send(request)
        assert seen == [request]
        assert response.json()["headers"]["x-trace"] == "t-1"
        assert request.extensions["timeout"] == {
            "connect": 3.0,
            "read": 10.0,
            "write": 10.0,
            "pool": 10.0,
        }
    finally:
        await client.aclose()


async def test_streaming_and_redirects_take_httpx_s_own_road(server: str) -> None:
    client = make_client()
    try:
        async with client.stream("GET", f"{server}/small-chunked") as response:
            assert b"".join([chunk async for chunk in response.aiter_bytes()]) == b'{"a":[1,2,3]}'
    finally:
        await client.aclose()
    assert isinstance(client, GatewayClient)
    with pytest.raises(RuntimeError, match="closed"):
        await client.send(httpx.Request("GET", f"{server}/echo"))


async def test_the_httpcore_transport_answers_the_same(server: str) -> None:
    client = make_client(transport="httpcore")
    try:
        response = await client.post(f"{server}/echo", json={"a": 1})
        assert isinstance(response, FastJsonResponse)
        assert json.loads(response.json()["body"]) == {"a": 1}
        assert (await client.get(f"{server}/gzip")).json() == {"名称": "广州"}
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    "body",
    [
        {"cxtj": {"xm": "张三", "ny": "202401", "n": 1, "f": 1.5, "b": True, "x": None}},
        {},
        [1, "二", {"k": []}],
    ],
)
def test_json_request_writes_the_body_httpx_writes(body: Any) -> None:
    http = httpx.AsyncClient()
    url = httpx.URL("http://127.0.0.1:1/api")
    ours = json_request(http, "POST", url, body, {"Authorization": "Bearer t"})
    theirs = http.build_request("POST", url, json=body, headers={"Authorization": "Bearer t"})
    assert ours.content == theirs.content
    assert dict(ours.headers) == dict(theirs.headers)


def test_json_request_leaves_to_httpx_what_orjson_will_not_write() -> None:
    http = httpx.AsyncClient()
    url = httpx.URL("http://127.0.0.1:1/api")
    for body in ({"n": 2**70}, {1: "key not a string"}):
        ours = json_request(http, "POST", url, body, {})
        assert ours.content == http.build_request("POST", url, json=body).content
    assert json_request(http, "GET", url, None, {}).content == b""


def _state(response: httpx.Response) -> dict[str, Any]:
    """What a response holds, attribute by attribute (the decoder is made on demand)."""
    state = {k: v for k, v in vars(response).items() if k not in ("stream", "_decoder")}
    state["headers"] = response.headers.raw
    state["stream"] = b"".join(response.stream)  # type: ignore[arg-type]
    return state


ANSWER_HEADERS: list[list[tuple[bytes, bytes]]] = [
    [(b"Content-Type", b"application/json"), (b"Content-Length", b"11")],
    [(b"content-type", b"application/json"), (b"Transfer-Encoding", b"chunked")],  # no length
    [(b"Server", b"nginx"), (b"CONTENT-LENGTH", b"11"), (b"Set-Cookie", b"a=1")],
    [(b"X-Name", "广州".encode()), (b"Content-Length", b"11")],  # not ASCII
    [],
]


@pytest.mark.parametrize("headers", ANSWER_HEADERS)
@pytest.mark.parametrize("body", [b'{"a": "b"}\n', b""])
def test_a_whole_answer_is_what_httpx_makes_of_it(
    headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    request = httpx.Request("POST", "http://127.0.0.1:1/x")
    extensions = {"http_version": b"HTTP/1.1", "reason_phrase": b"OK"}
    ours = whole_answer(200, headers, body, request, extensions)
    httpx_way = FastJsonResponse(
        200, headers=headers, content=body, request=request, extensions=extensions
    )
    assert _state(ours) == _state(httpx_way)
    assert ours.content == body
    assert ours.is_closed
    assert ours.is_stream_consumed


def test_an_encoded_whole_answer_is_decoded_the_httpx_way() -> None:
    request = httpx.Request("GET", "http://127.0.0.1:1/x")
    body = gzip.compress(b'{"a": 1}')
    ours = whole_answer(200, [(b"Content-Encoding", b"gzip")], body, request, {})
    assert ours.content == b'{"a": 1}'
    assert ours.json() == {"a": 1}
