"""The query operations' hot path: one route class, no per-request dependency solving.

A query is the gateway's most frequent call and the one that must add least to a province's
latency. FastAPI's generic handler costs more than the query's own work here: it solves the
dependency graph per request, parses the body with the standard library, then validates the
answer a second time against ``response_model`` before serialising it. ``QueryRoute`` keeps
everything FastAPI derives from the endpoint's signature (the OpenAPI operation, its request
and answer schemas) and serves requests with a handler that does the same steps directly:

1. authenticate, check scope and rate limit (``deps.authorize``, shared with every route);
   (a query waits for its turn before this, in ``gateway.admission``);
2. validate the body from bytes in pydantic-core (``model_validate_json``);
3. ask the provinces (``dispatch.run_query``), audit;
4. write the answer: each province's result is already JSON (``dispatch``), so ``encode``
   writes the envelope around it with orjson; the schema is still ``ItemModels.answer``.

Errors are the same problems as everywhere else (the app's handlers render them): a body
that is not the item's request is a 422 ``RequestValidationError`` naming each field, with
FastAPI's locations (``body`` first). ``tests/integration/test_queries.py`` holds ``parse`` to
FastAPI's own verdicts on bad bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from gateway import dispatch
from gateway.api import deps
from gateway.api.item_route import ItemRoute
from gateway.catalogue import ItemModels
from gateway.problems import Problem, ProblemDetails
from gateway.runtime import Runtime
from gateway.security import Principal
from schemas._model import ServiceItem

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
_JSON_TYPES = ("application/json", "+json")


async def answer(
    item: ServiceItem,
    query: BaseModel,
    runtime: Runtime,
    client: Principal,
    headers: dict[str, str] | None = None,
) -> Response:
    """Ask, audit and answer: 200 with every province's answer and ``headers``, or the one
    failure's problem when the query named a single province."""
    complete, answers = await dispatch.run_query(item, query, runtime.registry)
    runtime.audit(client, "query", item=item.code, result="complete" if complete else "partial")
    if len(answers) == 1 and not complete:
        failed = answers[0]["problem"]
        retry_after = failed.get("retry_after")
        raise Problem(
            failed["type"].rsplit("/", 1)[-1],
            failed["status"],
            failed["title"],
            failed["detail"],
            headers={"Retry-After": str(retry_after)} if retry_after else None,
            **{k: v for k, v in failed.items() if k not in ("type", "status", "title", "detail")},
        )
    return Response(encode(item, complete, answers), media_type="application/json", headers=headers)


def encode(item: ServiceItem, complete: bool, answers: list[dict[str, Any]]) -> bytes:
    """The answer ``ItemModels.answer`` documents, from ``dispatch.run_query``'s answers."""
    return orjson.dumps(
        {"item": item.code, "complete": complete, "answers": [_province(a) for a in answers]}
    )


def _province(answer: dict[str, Any]) -> dict[str, Any]:
    result: bytes | None = answer.get("result")
    problem: dict[str, Any] | None = answer.get("problem")
    return {
        "province": answer["province"],
        "province_name": answer["province_name"],
        "ok": answer["ok"],
        "problem": None
        if problem is None
        else ProblemDetails.model_validate(problem).model_dump(mode="json", by_alias=True),
        "result": None if result is None else orjson.Fragment(result),
    }


def parse(model: type[BaseModel], body: bytes, content_type: str | None) -> BaseModel:
    """The request body as ``model``, or the 422 FastAPI would raise for it."""
    try:
        if not body:
            raise RequestValidationError(
                [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
            )
        if content_type is None or not _is_json(content_type):
            # Not declared as JSON: validated as the raw bytes, which no model accepts.
            return model.model_validate(body)
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)]
        ) from None


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("application/") and media.endswith(_JSON_TYPES)


class QueryRoute(ItemRoute):
    """An item's query operation (see the module's docstring).

    The endpoint carries its item and models (``endpoint.item_models``); FastAPI still reads
    its signature for the OpenAPI document, and calling it does the same as this handler.
    """

    handler: Handler  # what the route runs per request; ``gateway.api.query_lane`` calls it

    def get_route_handler(self) -> Handler:
        models: ItemModels = self.endpoint.item_models  # type: ignore[attr-defined]
        item = models.item
        path = self.path

        async def handle(request: Request) -> Response:
            runtime: Runtime = request.app.state.runtime
            credential = deps.bearer(request.headers.get("authorization"))
            client, headers = await deps.authorize(request, runtime, credential, path)
            body = await request.body()
            query = parse(item.request_model, body, request.headers.get("content-type"))
            return await answer(item, query, runtime, client, headers)

        self.handler = handle
        return handle
