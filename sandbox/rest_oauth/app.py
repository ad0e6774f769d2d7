"""The `rest_oauth` provincial system: one FastAPI app hosting every `rest_oauth` province."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, HTTPException, Request
from starlette.responses import JSONResponse, Response

from sandbox import answers
from sandbox.clock import wire_datetime
from sandbox.control import control_router
from sandbox.credentials import client_credentials, same
from sandbox.engine import Case, CaseNotFound, NotAllowed
from sandbox.faults import FaultMiddleware, FaultProfile, invalid_utf8
from sandbox.lifecycle import CLOSED
from sandbox.provinces import Catalog, Province
from sandbox.rest_oauth import envelope as env
from sandbox.rest_oauth.tokens import TokenStore
from sandbox.state import SandboxState, build_state

FAMILY = "rest_oauth"
MAX_SERIAL = 64

# The vendor stack sits behind nginx: a province that is down answers nginx's own 503 page.
DOWN_PAGE = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def _down() -> Response:
    return Response(DOWN_PAGE, status_code=503, media_type="text/html")


PROFILE = FaultProfile(system_error=env.system_error, down=_down, wrong_encoding=invalid_utf8)


def create(
    catalog: Catalog, *, step_seconds: float, clock: Callable[[], float] = time.time
) -> FastAPI:
    state = build_state(
        FAMILY, catalog, step_seconds=step_seconds, status_code=env.status_code, clock=clock
    )
    tokens = TokenStore(clock)
    state.reset_hooks.append(tokens.clear)
    app = FastAPI(title="Tongban sandbox: rest_oauth provinces", version="1")
    app.state.sandbox = state
    app.include_router(control_router(state))
    app.include_router(_router(state, tokens))
    app.add_middleware(FaultMiddleware, state=state, profile=PROFILE)

    @app.exception_handler(env.RestError)
    async def _rest_error(request: Request, exc: env.RestError) -> Response:
        return exc.response()

    return app


# --- request helpers ---------------------------------------------------------------------


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise env.RestError(env.PARAMETER_ERROR, "参数错误：请求体不是合法的JSON") from exc
    if not isinstance(body, dict):
        raise env.RestError(env.PARAMETER_ERROR, "参数错误：请求体应为JSON对象")
    return body


def _optional(obj: dict[str, Any], key: str, path: str) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise env.parameter_error(path, "应为字符串")
    return value


def _required(obj: dict[str, Any], key: str, path: str) -> str:
    value = _optional(obj, key, path)
    if value is None:
        raise env.parameter_error(path, "缺失")
    return value


def _object(obj: dict[str, Any], key: str, path: str) -> dict[str, Any]:
    value = obj.get(key)
    if not isinstance(value, dict):
        raise env.parameter_error(path, "缺失或不是对象")
    return value


def _case_data(province: Province, case: Case) -> dict[str, Any]:
    zt, ztms = env.ZT[case.status]
    result = None
    if case.status in CLOSED and case.decision is not None:
        result = answers.decision_fields(province, case.decision)
    return {
        "bjbh": case.reference,
        "zt": zt,
        "ztms": ztms,
        "gxsj": wire_datetime(case.status_since),
        "bzyy": case.reason,
        "bjjg": result,
    }


# --- the protocol ------------------------------------------------------------------------


def _router(state: SandboxState, tokens: TokenStore) -> APIRouter:
    router = APIRouter(prefix="/{province}", tags=["rest_oauth protocol"])

    def hosted(code: str) -> Province:
        province = state.province(code)
        if province is None:
            raise HTTPException(404, "Not Found")
        return province

    def authorized(request: Request, province: Province) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not tokens.valid(province.code, token.strip()):
            raise env.token_error()

    def get_case(province: Province, reference: str) -> Case:
        try:
            return state.engine.get(province.code, reference)
        except CaseNotFound as exc:
            raise env.RestError(env.CASE_NOT_FOUND, f"办件不存在：{reference}") from exc

    @router.post("/oauth/token")
    async def token(province: str, request: Request) -> Response:
        prov = hosted(province)
        body = (await request.body()).decode("utf-8", errors="replace")
        form = dict(parse_qsl(body, keep_blank_values=True))
        client_id, secret = client_credentials(request.headers.get("authorization"), form)
        if not (
            same(client_id, prov.auth.get("client_id"))
            and same(secret, prov.auth.get("client_secret"))
        ):
            return JSONResponse(
                {"error": "invalid_client"},
                status_code=401,
                headers={"WWW-Authenticate": f'Basic realm="{prov.code}"'},
            )
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        ttl = state.settings(prov.code).token_ttl_seconds
        return JSONResponse(
            {
                "access_token": tokens.issue(prov.code, ttl),
                "token_type": "Bearer",
                "expires_in": ttl,
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    @router.get("/api/v1/ping")
    async def ping(province: str) -> Response:
        hosted(province)
        return JSONResponse({"code": env.OK, "msg": "pong"})

    @router.post("/api/v1/bj/sb")
    async def submit(province: str, request: Request) -> Response:
        prov = hosted(province)
        authorized(request, prov)
        body = await _json_object(request)
        sxbm = _required(body, "sxbm", "sxbm")
        item = prov.items.get(sxbm)
        if item is None or item.kind.query:
            raise env.RestError(env.ITEM_NOT_SERVED, f"事项未开通：{sxbm}")
        serial = _required(body, "ywlsh", "ywlsh")
        if len(serial) > MAX_SERIAL:
            raise env.parameter_error("ywlsh", f"长度超过{MAX_SERIAL}")
        bdsj = _object(body, "bdsj", "bdsj")
        try:
            party = answers.submission_party(prov, bdsj)
        except answers.Invalid as exc:
            raise env.parameter_error(exc.field(prefix="bdsj"), exc.problem) from exc
        case, _ = state.engine.submit(
            prov.code,
            serial=serial,
            item=item,
            party=party,
            data=bdsj,
            sender=_optional(body, "sjly", "sjly"),
            related_ref=_optional(body, "glbh", "glbh"),
        )
        data = _case_data(prov, case)
        return env.ok({k: data[k] for k in ("bjbh", "zt", "ztms")})

    @router.get("/api/v1/bj/{bjbh}")
    async def status(province: str, bjbh: str, request: Request) -> Response:
        prov = hosted(province)
        authorized(request, prov)
        return env.ok(_case_data(prov, get_case(prov, bjbh)))

    @router.post("/api/v1/bj/{bjbh}/bz")
    async def supplement(province: str, bjbh: str, request: Request) -> Response:
        prov = hosted(province)
        authorized(request, prov)
        body = await _json_object(request)
        bdsj = _object(body, "bdsj", "bdsj")
        get_case(prov, bjbh)
        try:
            answers.check_spelling(prov, bdsj)
        except answers.Invalid as exc:
            raise env.parameter_error(exc.field(prefix="bdsj"), exc.problem) from exc
        try:
            case = state.engine.supplement(prov.code, bjbh, bdsj)
        except NotAllowed as exc:
            zt, ztms = env.ZT[exc.case.status]
            raise env.RestError(
                env.PARAMETER_ERROR, f"当前办件状态（{zt} {ztms}）不允许补正"
            ) from exc
        return env.ok(_case_data(prov, case))

    @router.post("/api/v1/bj/{bjbh}/cx")
    async def withdraw(province: str, bjbh: str, request: Request) -> Response:
        prov = hosted(province)
        authorized(request, prov)
        get_case(prov, bjbh)
        try:
            case = state.engine.withdraw(prov.code, bjbh)
        except NotAllowed as exc:
            zt, ztms = env.ZT[exc.case.status]
            raise env.RestError(
                env.PARAMETER_ERROR, f"当前办件状态（{zt} {ztms}）不允许撤件"
            ) from exc
        return env.ok(_case_data(prov, case))

    @router.post("/api/v1/cx/{sxbm}")
    async def lookup(province: str, sxbm: str, request: Request) -> Response:
        prov = hosted(province)
        authorized(request, prov)
        item = prov.items.get(sxbm)
        if item is None or not item.kind.query:
            raise env.RestError(env.ITEM_NOT_SERVED, f"事项未开通：{sxbm}")
        body = await _json_object(request)
        cxtj = _object(body, "cxtj", "cxtj")
        try:
            data = answers.lookup(state, prov, item, cxtj)
        except answers.Invalid as exc:
            raise env.parameter_error(exc.field(prefix="cxtj"), exc.problem) from exc
        return env.ok(data)

    return router
