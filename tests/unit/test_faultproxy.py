"""The gateway's I/O boundary (adapters.transport), directly and through the fault proxy's
toxics.

The upstream is a tiny keep-alive HTTP/1.1 server answering a fixed JSON body. Behaviour is
asserted (which error, which bytes), never durations: deadlines are set far below what a
toxic delays, so the outcome does not depend on the machine's speed.
"""

from __future__ import annotations

import asyncio
import gc
import json
import weakref
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.errors import UpstreamProtocolError, UpstreamTimeout, UpstreamUnavailable
from adapters.transport import send
from gateway.httpclient import make_client
from sandbox.faultproxy import FaultProxy, Toxics, _Garbler
from sandbox.server import NotLoopback

BODY = json.dumps({"code": "0000", "data": {"records": list(range(40))}}).encode()


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                + f"content-length: {len(BODY)}\r\n\r\n".encode()
                + BODY
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@pytest.fixture
async def upstream() -> AsyncIterator[tuple[str, int]]:
    server = await asyncio.start_server(_answer, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    try:
        yield host, port
    finally:
        server.close()


@pytest.fixture
async def proxy(upstream: tuple[str, int]) -> AsyncIterator[FaultProxy]:
    async with FaultProxy(upstream) as running:
        yield running


@pytest.fixture(params=["httpcore", "aiohttp"])
async def http(request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    client = make_client(transport=request.param)
    try:
        yield client
    finally:
        await client.aclose()


async def _get(http: httpx.AsyncClient, proxy: FaultProxy, deadline: float = 5.0) -> bytes:
    request = http.build_request("POST", f"{proxy.url}/440000/api/v1/cx/X", json={"q": 1})
    response = await send(http, request, province="440000", deadline=deadline)
    return response.content


async def test_without_toxics_it_is_a_plain_proxy(
    proxy: FaultProxy, http: httpx.AsyncClient
) -> None:
    assert await _get(http, proxy) == BODY
    assert await _get(http, proxy) == BODY
    assert proxy.counters.bytes_down >= 2 * len(BODY)
    assert proxy.counters.connections >= 1


async def test_an_answer_is_freed_without_the_cycle_collector(
    upstream: tuple[str, int], http: httpx.AsyncClient
) -> None:
    # httpx binds an answer's stream to the answer (a reference cycle); left in place, every
    # answer waits for the cyclic collector, whose passes stalled the event loop under load.
    url = "http://{}:{}/440000/api/v1/cx/X".format(*upstream)
    await send(http, http.build_request("POST", url), province="440000", deadline=5.0)
    gc.collect()  # the warm-up's garbage, and the pool's connection now exists
    gc.disable()
    try:
        response = await send(
            http, http.build_request("POST", url), province="440000", deadline=5.0
        )
        assert response.json()["code"] == "0000"
        assert await response.aread() == BODY  # still whole after the stream is swapped
        answer = weakref.ref(response)
        del response
        assert answer() is None
    finally:
        gc.enable()


async def test_slow_drip_trips_the_overall_deadline(
    proxy: FaultProxy, http: httpx.AsyncClient
) -> None:
    # 20 bytes a second: each byte arrives well within httpx's per-read timeout (10 s), so
    # only the overall deadline of adapters.transport.send can stop it.
    proxy.set(slow_drip_bytes_per_second=20)
    with pytest.raises(UpstreamTimeout) as caught:
        await _get(http, proxy, deadline=0.3)
    assert isinstance(caught.value.__cause__, TimeoutError)
    assert not isinstance(caught.value.__cause__, httpx.TimeoutException)
    assert caught.value.province == "440000"


async def test_latency_beyond_the_deadline_times_out(
    proxy: FaultProxy, http: httpx.AsyncClient
) -> None:
    proxy.set(latency_ms=3000)
    with pytest.raises(UpstreamTimeout):
        await _get(http, proxy, deadline=0.2)
    proxy.clear()
    assert await _get(http, proxy) == BODY


async def test_timeout_swallows_requests(proxy: FaultProxy, http: httpx.AsyncClient) -> None:
    proxy.set(timeout=True)
    with pytest.raises(UpstreamTimeout):
        await _get(http, proxy, deadline=0.2)


async def test_reset_is_unavailable_not_a_timeout(
    proxy: FaultProxy, http: httpx.AsyncClient
) -> None:
    proxy.set(reset=True)
    with pytest.raises(UpstreamUnavailable) as caught:
        await _get(http, proxy)
    assert not isinstance(caught.value, UpstreamTimeout)
    assert proxy.counters.resets >= 1


async def test_truncated_answer_is_unavailable(proxy: FaultProxy, http: httpx.AsyncClient) -> None:
    proxy.set(truncate_after_bytes=80)
    with pytest.raises(UpstreamUnavailable) as caught:
        await _get(http, proxy)
    assert not isinstance(caught.value, UpstreamTimeout)


async def test_malformed_keeps_head_and_length(proxy: FaultProxy, http: httpx.AsyncClient) -> None:
    proxy.set(malformed=True)
    for _ in range(2):  # the second answer on the same connection is garbled too
        body = await _get(http, proxy)
        assert body == b"#" * len(BODY)


async def test_down_refuses_then_comes_back(
    upstream: tuple[str, int], http: httpx.AsyncClient
) -> None:
    async with FaultProxy(upstream) as proxy:
        await proxy.apply(down=True)
        with pytest.raises(UpstreamUnavailable) as caught:
            await _get(http, proxy)
        assert not isinstance(caught.value, UpstreamTimeout)
        await proxy.apply(down=False)
        assert await _get(http, proxy) == BODY


async def test_control_api(upstream: tuple[str, int]) -> None:
    from sandbox import faultproxy

    proxy = FaultProxy(upstream)
    await proxy.start()
    control = await asyncio.start_server(
        lambda r, w: faultproxy._control(proxy, r, w), "127.0.0.1", 0
    )
    port = control.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            answer = (await client.put("/toxics", json={"latency_ms": 5})).json()
            assert answer["toxics"]["latency_ms"] == 5
            assert (await client.get("/toxics")).json()["toxics"]["latency_ms"] == 5
            assert (await client.put("/toxics", json={"nonsense": 1})).status_code == 422
            assert (await client.put("/toxics", json={"latency_ms": -1})).status_code == 422
            cleared = (await client.delete("/toxics")).json()
            assert cleared["toxics"] == json.loads(json.dumps(Toxics().__dict__))
            assert (await client.get("/other")).status_code == 404
    finally:
        control.close()
        await proxy.stop()


def test_loopback_only() -> None:
    with pytest.raises(NotLoopback):
        FaultProxy(("192.0.2.1", 80))
    with pytest.raises(NotLoopback):
        FaultProxy(("127.0.0.1", 80), host="0.0.0.0")  # noqa: S104


def test_garbler_handles_split_heads_and_consecutive_answers() -> None:
    answer = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"
    garbler = _Garbler()
    out = b"".join(garbler.feed(answer[i : i + 7]) for i in range(0, len(answer), 7))
    out += garbler.feed(answer + answer)
    head = answer[: answer.index(b"\r\n\r\n") + 4]
    assert out == (head + b"#####") * 3
    chunked = _Garbler()
    assert chunked.feed(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello") == (
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" + b"#" * 8
    )


async def test_an_undecodable_answer_is_a_protocol_error() -> None:
    # A Content-Encoding the body does not match: httpx raises DecodingError, which is
    # neither a timeout nor a transport error, and escaped every caller's handling.
    def garbled(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-encoding": "gzip"}, content=b"not gzip")

    async with httpx.AsyncClient(transport=httpx.MockTransport(garbled)) as http:
        with pytest.raises(UpstreamProtocolError) as caught:
            await send(http, http.build_request("GET", "http://p/x"), province="440000", deadline=5)
    assert isinstance(caught.value.__cause__, httpx.DecodingError)
    assert caught.value.province == "440000"
