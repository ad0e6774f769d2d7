"""``request_build.build`` makes what ``httpx.AsyncClient.build_request`` makes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.request_build import build
from gateway.httpclient import make_client


def _state(request: httpx.Request) -> dict[str, Any]:
    return {
        "method": request.method,
        "url": request.url,
        "headers": request.headers.raw,
        "content": request.content,
        "extensions": request.extensions,
        "stream": b"".join(request.stream),  # type: ignore[arg-type]
    }


def _same(http: httpx.AsyncClient, method: str, url: Any, body: bytes, headers: Any) -> None:
    ours = build(http, method, url, body, headers)
    theirs = http.build_request(method, url, content=body, headers=headers)
    assert _state(ours) == _state(theirs)


# Names that collide with what the client or httpx add, in any case, and others.
NAMES = st.sampled_from(
    [
        "Authorization", "authorization", "Content-Type", "content-type", "User-Agent",
        "ACCEPT", "Host", "Content-Length", "Transfer-Encoding", "X-Request-Id", "SOAPAction",
    ]
)  # fmt: skip
VALUES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "put", "PATCH", "DELETE"]),
    body=st.sampled_from([b"", b'{"a":1}', "广州".encode()]),
    headers=st.dictionaries(NAMES, VALUES, max_size=5),
)
def test_build_makes_what_build_request_makes(
    method: str, body: bytes, headers: dict[str, str]
) -> None:
    http = make_client()
    _same(http, method, httpx.URL("http://127.0.0.1:8080/440000/api/v1/cx/X?a=1"), body, headers)


@pytest.mark.parametrize(
    "client",
    [
        httpx.AsyncClient(base_url="http://127.0.0.1:1/base/"),  # a relative URL below
        httpx.AsyncClient(cookies={"a": "1"}),
        httpx.AsyncClient(params={"p": "1"}),
        httpx.AsyncClient(headers={"X-Client": "1", "User-Agent": "tongban"}),
    ],
)
def test_clients_adding_more_are_built_their_own_way(client: httpx.AsyncClient) -> None:
    url = httpx.URL("x") if str(client.base_url) else httpx.URL("http://127.0.0.1:1/x")
    _same(client, "POST", url, b"{}", {"Content-Type": "application/json"})


def test_what_httpx_refuses_it_refuses_alike() -> None:
    http = make_client()
    url = httpx.URL("http://127.0.0.1:1/x")
    with pytest.raises(UnicodeEncodeError):
        http.build_request("POST", url, content=b"{}", headers={"X-Name": "广州"})
    with pytest.raises(UnicodeEncodeError):
        build(http, "POST", url, b"{}", {"X-Name": "广州"})
