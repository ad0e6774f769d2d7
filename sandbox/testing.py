"""Helpers for tests: run a family app on a free loopback port in a background thread.

    from sandbox.testing import create_app, running_server

    with running_server(create_app("rest_oauth", step_seconds=0.05)) as base_url:
        ...  # http://127.0.0.1:<port>; provinces at f"{base_url}/440000"

`running_sandboxes()` serves all four families at once and knows every province's base URL
(`.province_urls()`), e.g. to point the gateway's province configurations at them.

Also minimal request builders for tests that talk to the sandbox without a full client:
`soap_request(...)` / `soap_headers(op)` / `read_soap_answer(raw)` for `soap_gbk`,
`form_fields(...)` for `form_sm3`, `basic_auth(...)` for `batch_callback`.
"""

from __future__ import annotations

import base64
import json
import secrets
import socket
import threading
import time
import xml.etree.ElementTree as ET  # building only
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from starlette.types import ASGIApp

from sandbox import FAMILIES
from sandbox.app import create_app
from sandbox.clock import wire_datetime
from sandbox.form_sm3.sign import SIGN_METHOD, sign
from sandbox.provinces import Catalog, load_catalog
from sandbox.server import make_server
from sandbox.soap_gbk.auth import auth_code
from sandbox.soap_gbk.xmlio import SOAP_NS, Package, parse_package

# Sichuan's sandbox credentials, as in provinces.toml.
SC_SENDER = "TONGBAN0001"
SC_RECEIVER = "510000RSJ"
SC_SECRET = "sc-sandbox-secret"

__all__ = [
    "Package",
    "Sandboxes",
    "basic_auth",
    "create_app",
    "form_fields",
    "read_soap_answer",
    "running_sandboxes",
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

    Any ASGI app will do (tests also serve the gateway with it, ``lifespan="on"``). The
    batch_callback app starts its run/callback worker in its lifespan when there is one,
    else on its first request; either way it stops with the server.
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


@dataclass(frozen=True)
class Sandboxes:
    """Running family servers: family -> base URL, and where each province lives."""

    urls: Mapping[str, str]
    catalog: Catalog

    def province_urls(self) -> dict[str, str]:
        """Every hosted province's base URL, e.g. {"440000": "http://127.0.0.1:PORT/440000"}."""
        return {
            code: f"{self.urls[province.family]}/{code}"
            for code, province in sorted(self.catalog.provinces.items())
            if province.family in self.urls
        }

    def url_of(self, province: str) -> str:
        """The server root hosting `province` (for its /_sandbox control API)."""
        return self.urls[self.catalog.provinces[province].family]


@contextmanager
def running_sandboxes(
    *,
    step_seconds: float = 2.0,
    families: tuple[str, ...] = FAMILIES,
    catalog: Catalog | Path | None = None,
) -> Iterator[Sandboxes]:
    """All (or some) family servers on free loopback ports, for the duration."""
    loaded = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    with ExitStack() as stack:
        urls = {
            family: stack.enter_context(
                running_server(
                    create_app(family, step_seconds=step_seconds, catalog=loaded), lifespan="on"
                )
            )
            for family in families
        }
        yield Sandboxes(urls, loaded)


def form_fields(
    method: str,
    biz: Mapping[str, Any] | None = None,
    *,
    app_key: str,
    secret: str,
    timestamp_ms: int | None = None,
    nonce: str | None = None,
    sign_with: str | None = None,
) -> dict[str, str]:
    """A signed `form_sm3` call (post it as form data to `<province>/open/api`)."""
    fields = {
        "appKey": app_key,
        "method": method,
        "timestamp": str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)),
        "nonce": nonce or secrets.token_hex(16),
        "signMethod": SIGN_METHOD,
        "bizContent": json.dumps(dict(biz or {}), ensure_ascii=False, separators=(",", ":")),
    }
    fields["sign"] = sign_with if sign_with is not None else sign(fields, secret)
    return fields


def basic_auth(client_id: str, secret: str) -> dict[str, str]:
    """The `Authorization` header of a `batch_callback` client."""
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode("ascii")
    return {"Authorization": f"Basic {pair}"}
