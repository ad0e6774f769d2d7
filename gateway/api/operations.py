"""One typed operation per service item, generated from the catalogue.

Adding an item to ``schemas/`` adds its route, its request and answer schemas and its stable
operation id here, with no change to this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.routing import BaseRoute

from gateway import idempotency, submissions
from gateway.api import queries
from gateway.api.deps import ClientDep, RuntimeDep
from gateway.api.item_route import ItemRoute
from gateway.api.queries import QueryRoute
from gateway.api.views import SubmissionAccepted
from gateway.catalogue import Catalogue, ItemModels
from gateway.privacy import lookup_digest, primary_identifier
from gateway.problems import Problem, invalid_field
from gateway.runtime import Runtime
from gateway.security import Principal
from gateway.store.types import utcnow
from schemas._model import Kind, Mode, ServiceItem

Endpoint = Callable[..., Coroutine[Any, Any, Any]]

# A reference, not a ``model``: FastAPI builds a validator per route and status for every
# ``model`` (1,200 of them for the catalogue), while errors are rendered by the handlers.
_PROBLEM = {
    "content": {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
    }
}
ALL_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {**_PROBLEM, "description": text}
    for status, text in (
        (401, "Missing or unknown API key"),
        (404, "Not found (another client's case is not found either)"),
        (403, "Not allowed for this client"),
        (409, "The item is not served by a province the request names"),
        (413, "Request body too large"),
        (422, "The request does not match the item's schema"),
        (429, "Too many requests"),
        (502, "A province answered badly"),
        (503, "A province or the gateway's database is unavailable"),
        (504, "A province did not answer in time"),
    )
}
# What an item operation can answer besides success (never 404: its route is its item).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    k: v for k, v in ALL_RESPONSES.items() if k != 404
}
# What every authenticated operation can answer.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {k: ALL_RESPONSES[k] for k in (401, 403, 429)}


def _signature(body: type[BaseModel], *, application: bool) -> inspect.Signature:
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("body", keyword, annotation=Annotated[body, Body()]),
        inspect.Parameter("runtime", keyword, annotation=RuntimeDep),
        inspect.Parameter("client", keyword, annotation=ClientDep),
    ]
    if application:
        params.append(inspect.Parameter("response", keyword, annotation=Response))
        params.append(
            inspect.Parameter(
                "idempotency_key",
                keyword,
                default=None,
                annotation=Annotated[
                    str | None,
                    Header(
                        alias="Idempotency-Key",
                        max_length=255,
                        description="Makes a retried submission safe: the same key and body replay "
                        "the first answer; see the README for the rules",
                    ),
                ],
            )
        )
    return inspect.Signature(params)


def _query_endpoint(item: ServiceItem, models: ItemModels) -> Endpoint:
    """What FastAPI documents; ``queries.QueryRoute`` serves it without solving dependencies."""

    async def endpoint(**kwargs: Any) -> Response:
        return await queries.answer(item, kwargs["body"], kwargs["runtime"], kwargs["client"])

    endpoint.__signature__ = _signature(item.request_model, application=False)  # type: ignore[attr-defined]
    endpoint.item_models = models  # type: ignore[attr-defined]
    return endpoint


def _application_endpoint(item: ServiceItem, models: ItemModels) -> Endpoint:
    async def endpoint(**kwargs: Any) -> Any:
        body: Any = kwargs["body"]
        runtime: Runtime = kwargs["runtime"]
        client: Principal = kwargs["client"]
        response: Response = kwargs["response"]
        key: str | None = kwargs["idempotency_key"]
        if body.mode == Mode.counter.value and client.kind != "counter":
            raise Problem(
                "forbidden",
                403,
                "Forbidden / 无权访问",
                "counter mode is for counter terminals (异地代收代办)",
            )
        counter = getattr(body, "counter", None)
        if counter is not None and counter.receiving_province != client.province:
            raise invalid_field(
                "counter.receiving_province",
                f"this counter terminal receives in {client.province}, not in "
                f"{counter.receiving_province} / 代收省份与窗口终端不符",
            )
        now = utcnow()
        if key is not None:
            replay = await idempotency.begin(
                runtime.sessions,
                client_id=client.id,
                key=key,
                request_hash=idempotency.fingerprint(
                    runtime.secret_key, item.code, body.model_dump(mode="json")
                ),
                now=now,
                retention=dt.timedelta(hours=runtime.settings.idempotency_retention_hours),
            )
            if replay is not None:
                return JSONResponse(
                    replay.body,
                    status_code=replay.status,
                    headers={
                        "Location": str(replay.body.get("location", "")),
                        "Idempotent-Replayed": "true",
                    },
                )
        try:
            # Counted only for requests that will really submit (not replays).
            identifier = primary_identifier(body.data.model_dump(mode="json"))
            if identifier is not None:
                await runtime.quotas.applicant(lookup_digest(runtime.secret_key, identifier))
            async with runtime.sessions.begin() as session:
                case = await submissions.open_case(
                    session,
                    item=item,
                    mode=body.mode,
                    request=body.data,
                    counter=getattr(body, "counter", None),
                    client_id=client.id,
                    channel="counter" if client.kind == "counter" else "api",
                    registry=runtime.registry,
                    sealer=runtime.sealer,
                    secret_key=runtime.secret_key,
                    now=now,
                )
                location = f"/v1/applications/{case.id}"
                accepted = SubmissionAccepted(
                    id=case.id, item=item.code, status=case.status, location=location
                )
                if key is not None:
                    await idempotency.complete(
                        session,
                        client_id=client.id,
                        key=key,
                        status=202,
                        body=accepted.model_dump(mode="json"),
                        case_id=case.id,
                    )
        except BaseException:
            if key is not None:
                with contextlib.suppress(Exception):  # the database may be the problem
                    await idempotency.abandon(runtime.sessions, client_id=client.id, key=key)
            raise
        runtime.audit(client, "submit", item=item.code, case_id=case.id)
        response.headers["Location"] = location
        return accepted

    endpoint.__signature__ = _signature(models.application, application=True)  # type: ignore[attr-defined]
    return endpoint


def build_router(catalogue: Catalogue) -> APIRouter:
    """The item operations, built once per catalogue.

    Building them is most of an app's start-up (a request and answer validator per item);
    routes hold nothing app-specific, so every app made from one catalogue (several in a
    test run, one per worker process) shares them.
    """
    cached = _ROUTERS.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    router = _build(catalogue)
    _ROUTERS[id(catalogue)] = (catalogue, router)
    return router


_ROUTERS: dict[int, tuple[Catalogue, APIRouter]] = {}


def routes_by_kind(catalogue: Catalogue) -> tuple[list[BaseRoute], list[BaseRoute]]:
    """``build_router``'s routes split: the query items', then the application items'."""
    routes = build_router(catalogue).routes
    queries: list[BaseRoute] = [route for route in routes if isinstance(route, QueryRoute)]
    submissions = [route for route in routes if not isinstance(route, QueryRoute)]
    return queries, submissions


def _build(catalogue: Catalogue) -> APIRouter:
    router = APIRouter(prefix="/v1/items")
    for item in catalogue.items():
        models = catalogue.models(item.code)
        common: dict[str, Any] = {
            "operation_id": item.operation_id,
            "summary": f"{item.name_en} / {item.name_zh}",
            "description": f"{item.summary_en}\n\n{item.summary_zh}".strip(),
            "tags": [item.department.value],
            "responses": ERROR_RESPONSES,
        }
        if item.kind is Kind.query:
            router.add_api_route(
                f"/{item.code}/queries",
                _query_endpoint(item, models),
                methods=["POST"],
                response_model=models.answer,
                route_class_override=QueryRoute,
                **common,
            )
        else:
            router.add_api_route(
                f"/{item.code}/applications",
                _application_endpoint(item, models),
                methods=["POST"],
                status_code=202,
                response_model=SubmissionAccepted,
                route_class_override=ItemRoute,
                **common,
            )
    return router
