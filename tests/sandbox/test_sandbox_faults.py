"""Fault switches on all four families: down, slow_drip, malformed, wrong encoding, scoping."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from sandbox.soap_gbk.xmlio import MalformedPackage
from sandbox.testing import form_fields, read_soap_answer, soap_headers, soap_request
from tests.sandbox.conftest import TJ, TJ_AUTH, ZJ, ZJ_APP

Ping = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def rest_ping(client: httpx.AsyncClient) -> httpx.Response:
    return await client.get("/440000/api/v1/ping")


async def soap_ping(client: httpx.AsyncClient) -> httpx.Response:
    raw = soap_request("PING", collaboration_id=f"fault-{time.monotonic_ns()}")
    return await client.post(
        "/510000/services/XzfwService", content=raw, headers=soap_headers("ping")
    )


async def form_ping(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post(f"{ZJ}/open/api", data=form_fields("sys.ping", {}, **ZJ_APP))


async def batch_ping(client: httpx.AsyncClient) -> httpx.Response:
    return await client.get(f"{TJ}/health", headers=TJ_AUTH)


PINGS: dict[str, tuple[str, Ping]] = {
    "rest_oauth": ("rest", rest_ping),
    "soap_gbk": ("soap", soap_ping),
    "form_sm3": ("form", form_ping),
    "batch_callback": ("batch", batch_ping),
}


@pytest.fixture(params=list(PINGS))
def family(request: pytest.FixtureRequest) -> tuple[str, httpx.AsyncClient, Ping]:
    """(family, a client of its server, a protocol call that answers without a case)."""
    fixture, ping = PINGS[request.param]
    client: httpx.AsyncClient = request.getfixturevalue(fixture)
    return request.param, client, ping


async def configure(client: httpx.AsyncClient, **change: Any) -> None:
    (await client.put("/_sandbox/config", json=change)).raise_for_status()


def readable(name: str, answer: httpx.Response) -> bool:
    """Whether the answer parses as the family's payload."""
    if name == "soap_gbk":
        try:
            return read_soap_answer(answer.content).head.get("ReturnCode") == "0"
        except MalformedPackage:
            return False
    try:
        json.loads(answer.content.decode("utf-8"))
    except ValueError:
        return False
    return True


async def test_down(family: tuple[str, httpx.AsyncClient, Ping]) -> None:
    name, client, ping = family
    await configure(client, down=True)
    if name == "soap_gbk":
        # Closed without an answer where the server exposes its transport, else a bare 503.
        try:
            answer = await ping(client)
        except httpx.RemoteProtocolError:
            pass
        else:
            assert answer.status_code == 503
            assert answer.text == "Service Unavailable"
    else:
        answer = await ping(client)
        assert answer.status_code == 503
        if name == "rest_oauth":
            assert answer.headers["content-type"].startswith("text/html")
            assert "nginx" in answer.text
        elif name == "form_sm3":
            assert answer.json()["code"] == "50000"
        else:
            assert answer.json()["error"]["code"] == "E5003"
            assert answer.headers["retry-after"] == "1"
    assert (await client.get("/_sandbox/health")).status_code == 200  # never the control API
    await configure(client, down=False)
    assert (await ping(client)).status_code == 200


async def test_malformed(family: tuple[str, httpx.AsyncClient, Ping]) -> None:
    name, client, ping = family
    await configure(client, malformed_rate=1)
    answer = await ping(client)
    assert answer.status_code == 200
    expected = "text/xml; charset=GBK" if name == "soap_gbk" else "application/json"
    assert answer.headers["content-type"] == expected
    assert int(answer.headers["content-length"]) == len(answer.content)
    assert not readable(name, answer)
    await configure(client, malformed_rate=0)
    assert readable(name, await ping(client))


async def test_wrong_encoding(family: tuple[str, httpx.AsyncClient, Ping]) -> None:
    name, client, ping = family
    await configure(client, wrong_encoding_rate=1)
    for _ in range(4):  # both variants, whichever the draw picks
        answer = await ping(client)
        assert answer.status_code == 200
        if name == "soap_gbk":
            assert answer.headers["content-type"] == "text/xml; charset=GBK"
            try:
                package = read_soap_answer(answer.content)
            except MalformedPackage:
                continue  # invalid GBK
            assert package.head["ReturnMsg"] != "成功"  # UTF-8 read as GBK: mojibake
        else:
            with pytest.raises(UnicodeDecodeError):
                answer.content.decode("utf-8")


async def test_slow_drip(family: tuple[str, httpx.AsyncClient, Ping]) -> None:
    name, client, ping = family
    fast = await ping(client)
    rate = max(40, len(fast.content) * 4)  # about a quarter of a second for the answer
    await configure(client, slow_drip=rate)
    started = time.monotonic()
    answer = await ping(client)
    elapsed = time.monotonic() - started
    assert answer.status_code == 200
    assert readable(name, answer)
    assert elapsed >= 0.8 * (len(answer.content) - rate / 10) / rate
    assert elapsed >= 0.15


async def test_slow_drip_is_steady(rest: httpx.AsyncClient) -> None:
    await configure(rest, slow_drip=50)
    chunks: list[tuple[float, int]] = []
    started = time.monotonic()
    async with rest.stream("GET", "/440000/api/v1/ping") as answer:
        async for chunk in answer.aiter_raw():
            chunks.append((time.monotonic() - started, len(chunk)))
    assert len(chunks) >= 5  # 5 bytes every 0.1 s
    assert sum(n for _, n in chunks) == len(b'{"code":"0000","msg":"pong"}')
    assert chunks[-1][0] >= 0.4


async def test_faults_scoped_to_one_province(rest: httpx.AsyncClient) -> None:
    await configure(rest, province="440000", down=True)
    assert (await rest.get("/440000/api/v1/ping")).status_code == 503
    assert (await rest.get("/110000/api/v1/ping")).status_code == 200
    config = (await rest.get("/_sandbox/config")).json()
    assert config["down"] is False
    assert config["provinces"]["440000"]["down"] is True


@pytest.mark.parametrize(
    "body",
    [{"slow_drip": -1}, {"malformed_rate": 1.5}, {"wrong_encoding_rate": -0.1}, {"down": "x"}],
)
async def test_fault_settings_are_validated(rest: httpx.AsyncClient, body: dict[str, Any]) -> None:
    assert (await rest.put("/_sandbox/config", json=body)).status_code == 422
