"""The `soap_gbk` provincial system: one FastAPI app hosting every `soap_gbk` province."""

from __future__ import annotations

import random
import time
import xml.etree.ElementTree as ET  # building only
from collections.abc import Callable

from fastapi import FastAPI, HTTPException, Request
from starlette.responses import Response

from sandbox.clock import wire_datetime
from sandbox.control import control_router
from sandbox.faults import FaultMiddleware, FaultProfile
from sandbox.provinces import Catalog
from sandbox.soap_gbk import auth, operations
from sandbox.soap_gbk import xmlio as x
from sandbox.soap_gbk.operations import STATUS, SoapError
from sandbox.state import SandboxState, build_state

FAMILY = "soap_gbk"
MALFORMED = "1001"
SYSTEM_ERROR = "9999"


def status_code(status: operations.Status) -> str:
    return STATUS[status][0]


def system_error() -> Response:
    return Response(
        x.build_fault(SYSTEM_ERROR, "系统错误"), status_code=500, media_type=x.CONTENT_TYPE
    )


def wrong_encoding(body: bytes, rng: random.Random) -> bytes:
    """Declared GBK but not: the UTF-8 bytes of the text, or GBK with invalid byte pairs."""
    try:
        text = body.decode("gb18030")
    except UnicodeDecodeError:
        return body
    if rng.random() < 0.5:
        return text.encode("utf-8")
    marker = body.find(b"<PackageBody>")
    at = marker if marker >= 0 else len(body) // 2
    return body[:at] + b"\xff\xa0\x80\xff" + body[at:]


# The exchange server sits behind a TCP load balancer: a province that is down closes the
# connection without answering.
PROFILE = FaultProfile(system_error=system_error, down=None, wrong_encoding=wrong_encoding)


def create(
    catalog: Catalog, *, step_seconds: float, clock: Callable[[], float] = time.time
) -> FastAPI:
    state = build_state(
        FAMILY, catalog, step_seconds=step_seconds, status_code=status_code, clock=clock
    )
    app = FastAPI(title="Tongban sandbox: soap_gbk provinces", version="1")
    app.state.sandbox = state
    app.include_router(control_router(state))
    app.add_middleware(FaultMiddleware, state=state, profile=PROFILE)

    @app.post("/{province}/services/XzfwService", tags=["soap_gbk protocol"])
    async def service(province: str, request: Request) -> Response:
        return await _exchange(state, province, request)

    return app


async def _exchange(state: SandboxState, code: str, request: Request) -> Response:
    province = state.province(code)
    if province is None:
        raise HTTPException(404, "Not Found")
    receiver_code = str(province.auth.get("receiver_code", code))

    def answer(
        head: dict[str, str], return_code: str, message: str, body: ET.Element | None = None
    ) -> Response:
        out = {
            "Version": head.get("Version") or "1.0",
            "SenderCode": receiver_code,
            "ReceiverCode": head.get("SenderCode", ""),
            "BusinessType": head.get("BusinessType", ""),
            "CollaborationId": head.get("CollaborationId", ""),
            "SendTime": wire_datetime(state.clock()),
            "ReturnCode": return_code,
            "ReturnMsg": message,
        }
        return Response(x.build_answer(out, body), media_type=x.CONTENT_TYPE)

    try:
        package = x.parse_package(await request.body())
    except x.MalformedPackage as exc:
        return answer({}, MALFORMED, str(exc))
    refused = auth.check_head(
        package.head,
        province.auth,
        now=state.clock(),
        window_seconds=state.catalog.defaults.send_time_window_seconds,
    )
    if refused is not None:
        return answer(package.head, *refused)
    action = request.headers.get("soapaction", "").strip().strip('"')
    operation = operations.OPERATIONS.get(action)
    if operation is None:
        return answer(package.head, auth.FIELD_MISSING, f"缺少或无法识别的SOAPAction：{action}")
    try:
        body = operation(operations.Context(state, province, package))
    except SoapError as exc:
        return answer(package.head, exc.code, exc.message)
    return answer(package.head, "0", "成功", body)
