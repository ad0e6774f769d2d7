"""Provincial systems reporting back (batch/callback families). Their signature is the
authentication; client credentials do not apply here."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from adapters.base import CallbackReceiver
from adapters.errors import UpstreamAuthFailed, UpstreamProtocolError
from gateway.api.deps import RuntimeDep
from gateway.api.operations import ALL_RESPONSES, ERROR_RESPONSES
from gateway.problems import Problem, not_found
from gateway.store.types import utcnow

router = APIRouter(prefix="/v1/callbacks", tags=["callbacks"])

MAX_CALLBACK_BYTES = 256 * 1024


@router.post(
    "/{province}",
    operation_id="receive_province_callback",
    status_code=204,
    summary="A province reports a status change (signed) / 省级系统回调",
    responses={
        401: ERROR_RESPONSES[401],
        404: ALL_RESPONSES[404],
        413: ERROR_RESPONSES[413],
        422: ERROR_RESPONSES[422],
    },
)
async def receive(province: str, request: Request, runtime: RuntimeDep) -> Response:
    adapter = runtime.registry.adapter(province)
    if not isinstance(adapter, CallbackReceiver):
        raise not_found("Callback receiver", f"province {province} does not call back")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_CALLBACK_BYTES:
            raise Problem(
                "too-large",
                413,
                "Request body too large / 请求体过大",
                f"callbacks are limited to {MAX_CALLBACK_BYTES} bytes",
            )
    try:
        state = adapter.verify_callback(request.headers, bytes(body))
    except UpstreamAuthFailed as exc:
        raise Problem(
            "callback-signature",
            401,
            "Callback signature refused / 回调签名无效",
            exc.message,
            province=province,
        ) from exc
    except UpstreamProtocolError as exc:
        raise Problem(
            "callback-malformed",
            422,
            "Malformed callback / 回调报文格式错误",
            exc.message,
            province=province,
        ) from exc
    if not await runtime.applier.apply_report(province, state, utcnow()):
        # Possibly ahead of our own record of the submission: the province retries.
        raise not_found("Case", f"province {province} has no case {state.reference} here")
    return Response(status_code=204)
