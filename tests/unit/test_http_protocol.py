"""A request uvicorn cannot parse is answered as a problem, like every other bad request."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from gateway.cli import HTTP_PROTOCOL
from gateway.http_protocol import GatewayHttpProtocol


async def _app(scope: dict[str, object], receive: object, send: object) -> None:
    raise AssertionError("an unparseable request never reaches the app")


@pytest.fixture
def server() -> Iterator[int]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    config = uvicorn.Config(
        _app, http=HTTP_PROTOCOL, lifespan="off", log_level="error", loop="asyncio"
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not served.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert served.started
    assert served.config.http_protocol_class is GatewayHttpProtocol
    yield port
    served.should_exit = True
    thread.join(10)


@pytest.mark.parametrize(
    "request_bytes",
    [b"NOT HTTP AT ALL\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"],
)
def test_an_unparseable_request_is_a_bilingual_problem(server: int, request_bytes: bytes) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=5) as conn:
        conn.sendall(request_bytes)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    assert lines[0] == "HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/problem+json"
    assert int(headers["content-length"]) == len(body)
    assert headers["connection"] == "close"
    problem = json.loads(body)
    assert problem["status"] == 400
    assert problem["title"] == "Malformed request / 请求格式错误"
    assert problem["type"].endswith("/bad-request")
