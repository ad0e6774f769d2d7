"""Exception handlers: everything leaves as application/problem+json, nothing as a trace."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic.json_schema import models_json_schema
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from adapters.errors import AdapterError
from gateway import i18n
from gateway.observability import route_template
from gateway.problems import (
    MALFORMED_TITLE,
    MEDIA_TYPE,
    Problem,
    ProblemDetails,
    invalid,
    invalid_field,
)
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
    # A key may hold a lone surrogate ("\ud800"), which no JSON encoder writes: spelled out.
    parts = [str(p).encode("utf-8", "backslashreplace").decode("utf-8") for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] if parts[0] == "body" else parts
    return ".".join(parts) or "body"


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """pydantic's errors as the problem's ``errors``: field, message, type, never the input
    (it may be an ID number). A check across fields (``schemas._common.conflict``) is
    located at its model by pydantic; it names each field it concerns instead."""
    out: list[dict[str, str]] = []
    for e in errors:
        loc = tuple(e.get("loc", ()))
        message, kind = str(e.get("msg", "")), str(e.get("type", ""))
        fields = (e.get("ctx") or {}).get("fields") if kind == "fields_conflict" else None
        for where in [loc + tuple(f.split(".")) for f in fields] if fields else [loc]:
            out.append({"field": _field(where), "message": message, "type": kind})
    return out


def validation_problem(exc: RequestValidationError) -> Problem:
    return invalid(field_errors(exc.errors()))


# What FastAPI says when it cannot decode a request body at all (e.g. invalid UTF-8).
BODY_NOT_PARSED = "There was an error parsing the body"


def body_not_json() -> Problem:
    return invalid_field(
        "body", "not a UTF-8 JSON document", detail="invalid: body", kind="json_invalid"
    )


def _document_problems(app: FastAPI) -> None:
    """Put ProblemDetails (and what it references) into the OpenAPI components, which the
    error responses of every operation point at."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        _, defs = models_json_schema(
            [(ProblemDetails, "validation")], ref_template="#/components/schemas/{model}"
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in defs.get("$defs", {}).items():
            components.setdefault(name, definition)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


_FASTAPI_422 = "#/components/schemas/HTTPValidationError"


def _document_validation(app: FastAPI) -> None:
    """Document 422 as what the handler below sends: a problem, not FastAPI's default body.

    FastAPI gives every operation with parameters a 422 of ``application/json``
    ``HTTPValidationError``; the gateway answers ``application/problem+json``.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.get("responses", {})
                default = responses.get("422", {}).get("content", {}).get("application/json", {})
                if default.get("schema", {}).get("$ref") == _FASTAPI_422:
                    responses["422"] = {
                        "description": "The request does not match the operation's schema",
                        "content": {
                            MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
                        },
                    }
        components = schema.get("components", {}).get("schemas", {})
        if _FASTAPI_422.rsplit("/", 1)[1] in components and _FASTAPI_422 not in str(schema):
            components.pop("HTTPValidationError")
            if "#/components/schemas/ValidationError" not in str(schema):
                components.pop("ValidationError", None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install(app: FastAPI) -> None:
    _document_problems(app)
    _document_validation(app)

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return render(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return render(validation_problem(exc), request)

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, exc: ClientDisconnect) -> Response:
        # The client left before its body arrived: nobody to answer, nothing went wrong here.
        log.info("client_disconnected", route=route_template(request.scope))
        return Response(status_code=400)

    @app.exception_handler(AdapterError)
    async def _adapter(request: Request, exc: AdapterError) -> JSONResponse:
        return render(problem_for(exc), request)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == BODY_NOT_PARSED:
            # FastAPI answers invalid JSON with a validation error but a body that is not even
            # text (bad UTF-8) with this 400: both are "the body is not JSON", so both are 422.
            return render(body_not_json(), request)
        titles = {
            400: MALFORMED_TITLE,  # e.g. a multipart body without boundary
            404: "Not found / 未找到",
            405: "Method not allowed / 不支持的请求方法",
            413: "Request body too large / 请求体过大",
        }
        problem = Problem(
            {400: "bad-request", 404: "not-found", 413: "too-large"}.get(
                exc.status_code, f"http-{exc.status_code}"
            ),
            exc.status_code,
            titles.get(exc.status_code, f"HTTP {exc.status_code}"),
            str(exc.detail),
            headers=dict(exc.headers or {}),
        )
        return render(problem, request)

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    @app.exception_handler(ConnectionError)
    @app.exception_handler(OSError)  # asyncpg's refused connects surface unwrapped
    async def _database(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "database_unavailable", error=type(exc).__name__, route=route_template(request.scope)
        )
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
        log.exception("unhandled_error", route=route_template(request.scope))
        problem = Problem(
            "internal",
            500,
            "Internal error / 内部错误",
            "the gateway failed unexpectedly; the error was logged",
        )
        return render(problem, request)
