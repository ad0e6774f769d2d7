"""Helpers for tests: run a family app on a free loopback port in a background thread.

    from sandbox.testing import create_app, running_server

    with running_server(create_app("rest_oauth", step_seconds=0.05)) as base_url:
        ...  # http://127.0.0.1:<port>; provinces at f"{base_url}/440000"

Also a minimal `soap_gbk` request builder and answer reader, for tests that talk to the SOAP
sandbox without a full client.
"""

from __future__ import annotations

import socket
import threading
import time
import xml.etree.ElementTree as ET  # building only
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from starlette.types import ASGIApp

from sandbox.app import create_app
from sandbox.clock import wire_datetime
from sandbox.server import make_server
from sandbox.soap_gbk.auth import auth_code
from sandbox.soap_gbk.xmlio import SOAP_NS, Package, parse_package

# Sichuan's sandbox credentials, as in provinces.toml.
SC_SENDER = "TONGBAN0001"
SC_RECEIVER = "510000RSJ"
SC_SECRET = "sc-sandbox-secret"

__all__ = [
    "Package",
    "create_app",
    "read_soap_answer",
    "running_server",
    "soap_headers",
    "soap_request",
]


@contextmanager
def running_server(
    app: ASGIApp,
    port: int = 0,
    *,
    host: str = "127.0.0.1",
    startup_timeout: float = 10.0,
    lifespan: Literal["auto", "on", "off"] = "off",
) -> Iterator[str]:
    """Serves `app` on host:port (a free port when 0); yields the base URL.

    Any ASGI app will do (tests also serve the gateway with it, ``lifespan="on"``).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # An explicit IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted connections only then;
    # without it every response waits ~40 ms for delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        bound = sock.getsockname()[1]
        server = make_server(
            app,
            host,
            bound,
            log_level="warning",
            access_log=False,
            loop="asyncio",
            lifespan=lifespan,
        )
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"sandbox:{bound}", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("server failed to start")
            if time.monotonic() > deadline:
                server.should_exit = True
                raise TimeoutError("sandbox server did not start in time")
            time.sleep(0.005)
        try:
            yield (
                f"http://[{host}]:{bound}"
                if family == socket.AF_INET6
                else f"http://{host}:{bound}"
            )
        finally:
            server.should_exit = True
            thread.join(startup_timeout)
    finally:
        sock.close()


def soap_request(
    business_type: str,
    body: ET.Element | None = None,
    *,
    collaboration_id: str,
    sender: str = SC_SENDER,
    receiver: str = SC_RECEIVER,
    secret: str = SC_SECRET,
    send_time: str | None = None,
    auth: str | None = None,
) -> bytes:
    """A `soap_gbk` request package, GBK-encoded, signed with SM3 unless `auth` is given."""
    send_time = send_time or wire_datetime(time.time())
    envelope = ET.Element("soapenv:Envelope", {"xmlns:soapenv": SOAP_NS})
    package = ET.SubElement(ET.SubElement(envelope, "soapenv:Body"), "Package")
    head = ET.SubElement(package, "PackageHead")
    fields = {
        "Version": "1.0",
        "SenderCode": sender,
        "ReceiverCode": receiver,
        "BusinessType": business_type,
        "CollaborationId": collaboration_id,
        "SendTime": send_time,
        "AuthCode": auth or auth_code(sender, receiver, send_time, collaboration_id, secret),
    }
    for name, value in fields.items():
        ET.SubElement(head, name).text = value
    package_body = ET.SubElement(package, "PackageBody")
    if body is not None:
        package_body.append(body)
    text = ET.tostring(envelope, encoding="unicode")
    return f'<?xml version="1.0" encoding="GBK"?>\n{text}'.encode("gbk", "xmlcharrefreplace")


def soap_headers(operation: str) -> dict[str, str]:
    return {"Content-Type": "text/xml; charset=GBK", "SOAPAction": f'"{operation}"'}


def read_soap_answer(raw: bytes) -> Package:
    """An answer package: `.head` (ReturnCode, ReturnMsg, ...) and `.body` (PackageBody)."""
    return parse_package(raw)
