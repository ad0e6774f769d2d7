"""Exception handlers: everything leaves as application/problem+json, nothing as a trace."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException

from adapters.errors import AdapterError
from gateway import i18n
from gateway.problems import MEDIA_TYPE, Problem
from gateway.upstream import problem_for

log = structlog.get_logger(__name__)


def render(problem: Problem, request: Request) -> JSONResponse:
    # The title in the language the client asked for by name; else bilingual, as written.
    lang = i18n.requested(request.headers.get("accept-language"))
    body = problem.body(instance=request.url.path)
    body["title"] = i18n.title(problem.title, lang)
    headers = {
        **problem.headers,
        "Content-Language": i18n.content_language(lang),
        "Vary": "Accept-Language",
    }
    return JSONResponse(body, status_code=problem.status, media_type=MEDIA_TYPE, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] if parts[0] == "body" else parts
    return ".".join(parts) or "body"


def validation_problem(exc: RequestValidationError) -> Problem:
    # Never echo the input: it may be an ID number.
    errors = [
        {
            "field": _field(tuple(e.get("loc", ()))),
            "message": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    fields = ", ".join(sorted({e["field"] for e in errors}))
    return Problem(
        "validation",
        422,
        "Request validation failed / 请求参数校验失败",
        f"invalid: {fields}",
        errors=errors,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return render(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return render(validation_problem(exc), request)

    @app.exception_handler(AdapterError)
    async def _adapter(request: Request, exc: AdapterError) -> JSONResponse:
        return render(problem_for(exc), request)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        titles = {
            404: "Not found / 未找到",
            405: "Method not allowed / 不支持的请求方法",
            413: "Request body too large / 请求体过大",
        }
        problem = Problem(
            {404: "not-found", 413: "too-large"}.get(exc.status_code, f"http-{exc.status_code}"),
            exc.status_code,
            titles.get(exc.status_code, f"HTTP {exc.status_code}"),
            str(exc.detail),
            headers=dict(exc.headers or {}),
        )
        return render(problem, request)

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: Exception) -> JSONResponse:
        log.error("database_unavailable", error=type(exc).__name__, path=request.url.path)
        problem = Problem(
            "database-unavailable",
            503,
            "Service temporarily unavailable / 服务暂时不可用",
            "the gateway's database is unavailable; nothing was stored, retry later",
            headers={"Retry-After": "5"},
        )
        return render(problem, request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path)
        problem = Problem(
            "internal",
            500,
            "Internal error / 内部错误",
            "the gateway failed unexpectedly; the error was logged",
        )
        return render(problem, request)
