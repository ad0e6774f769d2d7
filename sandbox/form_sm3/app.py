"""The `form_sm3` provincial system: one FastAPI app hosting every `form_sm3` province.

Every call is a signed form POST to `/<province>/open/api`; `method` picks the operation and
`bizContent` carries the business JSON. Checked in order: required fields (40001), sign
method and signature (40002, constant time), appKey (40005, before the signature: the secret
depends on it), timestamp window (40003), nonce format (40001) and replay (40004), then the
business content (40010…).
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException, Request
from starlette.responses import JSONResponse, Response

from sandbox import answers
from sandbox.clock import beijing
from sandbox.control import control_router
from sandbox.engine import Case, CaseNotFound, NotAllowed
from sandbox.faults import FaultMiddleware, FaultProfile, invalid_utf8
from sandbox.form_sm3 import sign
from sandbox.items import Item
from sandbox.lifecycle import CLOSED, Status
from sandbox.provinces import Catalog, Province
from sandbox.state import SandboxState, build_state

FAMILY = "form_sm3"
MAX_SERIAL = 64
TIMESTAMP_WINDOW_SECONDS = 300

OK = "0"
MISSING_PARAMETER = "40001"
SIGNATURE_INVALID = "40002"
TIMESTAMP_OUT_OF_WINDOW = "40003"
NONCE_REPLAYED = "40004"
UNKNOWN_APP_KEY = "40005"
BUSINESS_PARAMETER_INVALID = "40010"
CASE_NOT_FOUND = "40400"
ITEM_NOT_OPEN = "40401"
NOT_ALLOWED = "40900"
SYSTEM_ERROR = "50000"

REQUIRED = ("appKey", "method", "timestamp", "nonce", "signMethod", "bizContent", "sign")

# canonical status -> (status, statusName)
STATUS: dict[Status, tuple[str, str]] = {
    Status.received: ("A0100", "已收件"),
    Status.accepted: ("A0110", "已受理"),
    Status.correction_requested: ("A0101", "退回补正"),
    Status.processing: ("A0200", "办理中"),
    Status.not_accepted: ("A0300", "不予受理"),
    Status.closed_approved: ("A0501", "办结·准予"),
    Status.closed_refused: ("A0502", "办结·不予许可"),
    Status.withdrawn: ("A0600", "已撤回"),
}


def status_code(status: Status) -> str:
    return STATUS[status][0]


class FormError(Exception):
    def __init__(self, code: str, msg: str, http_status: int = 200) -> None:
        super().__init__(f"{code} {msg}")
        self.code = code
        self.msg = msg
        self.http_status = http_status

    def response(self) -> JSONResponse:
        return JSONResponse(
            {"code": self.code, "msg": self.msg, "data": None}, status_code=self.http_status
        )


def ok(data: Any) -> JSONResponse:
    return JSONResponse({"code": OK, "msg": "success", "data": data})


def system_error() -> Response:
    return FormError(SYSTEM_ERROR, "系统错误", 500).response()


def _down() -> Response:
    # The open platform's gateway stays up and says the service behind it is not.
    return FormError(SYSTEM_ERROR, "服务暂不可用，请稍后重试", 503).response()


PROFILE = FaultProfile(system_error=system_error, down=_down, wrong_encoding=invalid_utf8)

Method = Callable[["Call"], Awaitable[Any]]


class Call:
    """One authenticated call: the province, the caller and the parsed `bizContent`."""

    def __init__(
        self,
        state: SandboxState,
        province: Province,
        app_key: str,
        method: str,
        biz: dict[str, Any],
    ) -> None:
        self.state = state
        self.province = province
        self.app_key = app_key
        self.method = method
        self.biz = biz

    def text(self, name: str, *, required: bool = True, limit: int | None = None) -> str | None:
        value = self.biz.get(name)
        if value is None or value == "":
            if required:
                raise FormError(BUSINESS_PARAMETER_INVALID, f"业务参数错误：{name} 缺失")
            return None
        if not isinstance(value, str):
            raise FormError(BUSINESS_PARAMETER_INVALID, f"业务参数错误：{name} 应为字符串")
        if limit is not None and len(value) > limit:
            raise FormError(BUSINESS_PARAMETER_INVALID, f"业务参数错误：{name} 长度超过{limit}")
        return value

    def obj(self, name: str) -> dict[str, Any]:
        value = self.biz.get(name)
        if not isinstance(value, dict):
            raise FormError(BUSINESS_PARAMETER_INVALID, f"业务参数错误：{name} 缺失或不是对象")
        return value

    def item(self, *, query: bool) -> Item:
        code = self.text("itemCode")
        assert code is not None
        item = self.province.items.get(code)
        if item is None or item.kind.query != query:
            raise FormError(ITEM_NOT_OPEN, f"事项未开通：{code}")
        return item

    def case_no(self) -> str:
        reference = self.text("caseNo")
        assert reference is not None
        return reference

    def invalid(self, exc: answers.Invalid, prefix: str) -> FormError:
        return FormError(
            BUSINESS_PARAMETER_INVALID, f"业务参数错误：{exc.field(prefix=prefix)} {exc.problem}"
        )

    def document(self, case: Case, *, full: bool = True) -> dict[str, Any]:
        status, name = STATUS[case.status]
        doc: dict[str, Any] = {"caseNo": case.reference, "status": status, "statusName": name}
        if full:
            result = None
            if case.status in CLOSED and case.decision is not None:
                result = answers.decision_fields(self.province, case.decision)
            doc.update(
                reason=case.reason,
                updateTime=beijing(case.status_since).strftime("%Y-%m-%d %H:%M:%S"),
                result=result,
            )
        return doc

    def existing(self, act: Callable[[str], Case], operation: str) -> dict[str, Any]:
        reference = self.case_no()
        try:
            return self.document(act(reference))
        except CaseNotFound as exc:
            raise FormError(CASE_NOT_FOUND, f"办件不存在：{reference}") from exc
        except NotAllowed as exc:
            status, name = STATUS[exc.case.status]
            raise FormError(NOT_ALLOWED, f"办件状态（{status} {name}）不允许{operation}") from exc


async def case_submit(call: Call) -> Any:
    item = call.item(query=False)
    serial = call.text("bizSerial", limit=MAX_SERIAL)
    assert serial is not None
    form_data = call.obj("formData")
    try:
        party = answers.submission_party(call.province, form_data)
    except answers.Invalid as exc:
        raise call.invalid(exc, "formData") from exc
    case, _ = call.state.engine.submit(
        call.province.code,
        serial=serial,
        item=item,
        party=party,
        data=form_data,
        sender=call.app_key,
        related_ref=call.text("relatedNo", required=False),
    )
    return call.document(case, full=False)


async def case_status(call: Call) -> Any:
    return call.existing(lambda ref: call.state.engine.get(call.province.code, ref), "查询")


async def case_supplement(call: Call) -> Any:
    form_data = call.obj("formData")
    try:
        answers.check_spelling(call.province, form_data)
    except answers.Invalid as exc:
        raise call.invalid(exc, "formData") from exc
    return call.existing(
        lambda ref: call.state.engine.supplement(call.province.code, ref, form_data), "补正"
    )


async def case_withdraw(call: Call) -> Any:
    return call.existing(lambda ref: call.state.engine.withdraw(call.province.code, ref), "撤回")


async def data_query(call: Call) -> Any:
    item = call.item(query=True)
    conditions = call.obj("conditions")
    try:
        return answers.lookup(call.state, call.province, item, conditions)
    except answers.Invalid as exc:
        raise call.invalid(exc, "conditions") from exc


async def sys_ping(call: Call) -> Any:
    return {"pong": True}


METHODS: dict[str, Method] = {
    "case.submit": case_submit,
    "case.status": case_status,
    "case.supplement": case_supplement,
    "case.withdraw": case_withdraw,
    "data.query": data_query,
    "sys.ping": sys_ping,
}


def create(
    catalog: Catalog, *, step_seconds: float, clock: Callable[[], float] = time.time
) -> FastAPI:
    state = build_state(
        FAMILY, catalog, step_seconds=step_seconds, status_code=status_code, clock=clock
    )
    nonces = sign.NonceStore(clock)
    state.reset_hooks.append(nonces.clear)
    app = FastAPI(title="Tongban sandbox: form_sm3 provinces", version="1")
    app.state.sandbox = state
    app.include_router(control_router(state))
    app.add_middleware(FaultMiddleware, state=state, profile=PROFILE)

    @app.post("/{province}/open/api", tags=["form_sm3 protocol"])
    async def open_api(province: str, request: Request) -> Response:
        prov = state.province(province)
        if prov is None:
            raise HTTPException(404, "Not Found")
        try:
            call = authenticate(state, prov, nonces, await request.body())
            method = METHODS.get(call.method)
            if method is None:
                raise FormError(MISSING_PARAMETER, f"不支持的method：{call.method}")
            return ok(await method(call))
        except FormError as exc:
            return exc.response()

    return app


def authenticate(
    state: SandboxState, province: Province, nonces: sign.NonceStore, raw: bytes
) -> Call:
    """The checked call, or FormError with the first problem found."""
    try:
        fields = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as exc:
        raise FormError(MISSING_PARAMETER, "请求体不是UTF-8编码的表单") from exc
    for name in REQUIRED:
        if not fields.get(name):
            raise FormError(MISSING_PARAMETER, f"缺少参数：{name}")
    if fields["signMethod"] != sign.SIGN_METHOD:
        raise FormError(SIGNATURE_INVALID, f"不支持的签名方法：{fields['signMethod']}")
    apps = province.auth.get("apps", {})
    secret = apps.get(fields["appKey"]) if isinstance(apps, dict) else None
    if not isinstance(secret, str):
        raise FormError(UNKNOWN_APP_KEY, "appKey不存在")
    if not sign.verify(fields, secret):
        raise FormError(SIGNATURE_INVALID, "签名校验失败")
    timestamp = fields["timestamp"]
    now = state.clock()
    if not timestamp.isdigit() or abs(now - int(timestamp) / 1000) > TIMESTAMP_WINDOW_SECONDS:
        raise FormError(TIMESTAMP_OUT_OF_WINDOW, "timestamp超出允许的时间窗口")
    if not sign.NONCE.fullmatch(fields["nonce"]):
        raise FormError(MISSING_PARAMETER, "nonce格式错误：应为16–64位字母或数字")
    if not nonces.remember(province.code, fields["appKey"], fields["nonce"]):
        raise FormError(NONCE_REPLAYED, "nonce重复，请求被拒绝")
    try:
        biz = json.loads(fields["bizContent"])
    except ValueError as exc:
        raise FormError(BUSINESS_PARAMETER_INVALID, "bizContent不是合法的JSON") from exc
    if not isinstance(biz, dict):
        raise FormError(BUSINESS_PARAMETER_INVALID, "bizContent应为JSON对象")
    return Call(state, province, fields["appKey"], fields["method"], biz)
