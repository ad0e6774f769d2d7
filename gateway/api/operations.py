"""One typed operation per service item, generated from the catalogue.

Adding an item to ``schemas/`` adds its route, its request and answer schemas and its stable
operation id here, with no change to this module.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel

from gateway import dispatch, submissions
from gateway.api.deps import ClientDep, RuntimeDep
from gateway.api.views import SubmissionAccepted
from gateway.catalogue import Catalogue, ItemModels
from gateway.problems import Problem, ProblemDetails
from gateway.store.types import utcnow
from schemas._model import Kind, ServiceItem

Endpoint = Callable[..., Coroutine[Any, Any, Any]]

_PROBLEM = {"model": ProblemDetails, "content": {"application/problem+json": {}}}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {**_PROBLEM, "description": text}
    for status, text in (
        (401, "Missing or unknown API key"),
        (409, "The item is not served by a province the request names"),
        (413, "Request body too large"),
        (422, "The request does not match the item's schema"),
        (429, "Too many requests"),
        (502, "A province answered badly"),
        (503, "A province or the gateway's database is unavailable"),
        (504, "A province did not answer in time"),
    )
}


def _signature(body: type[BaseModel], *, with_response: bool) -> inspect.Signature:
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("body", keyword, annotation=Annotated[body, Body()]),
        inspect.Parameter("runtime", keyword, annotation=RuntimeDep),
        inspect.Parameter("client", keyword, annotation=ClientDep),
    ]
    if with_response:
        params.append(inspect.Parameter("response", keyword, annotation=Response))
    return inspect.Signature(params)


def _query_endpoint(item: ServiceItem, models: ItemModels) -> Endpoint:
    async def endpoint(**kwargs: Any) -> Any:
        body: BaseModel = kwargs["body"]
        runtime = kwargs["runtime"]
        complete, answers = await dispatch.run_query(item, body, runtime.registry)
        if len(answers) == 1 and not complete:
            failed = answers[0]["problem"]
            raise Problem(
                failed["type"].rsplit("/", 1)[-1],
                failed["status"],
                failed["title"],
                failed["detail"],
                **{
                    k: v
                    for k, v in failed.items()
                    if k not in ("type", "status", "title", "detail")
                },
            )
        return models.answer.model_validate(
            {"item": item.code, "complete": complete, "answers": answers}
        )

    endpoint.__signature__ = _signature(item.request_model, with_response=False)  # type: ignore[attr-defined]
    return endpoint


def _application_endpoint(item: ServiceItem, models: ItemModels) -> Endpoint:
    async def endpoint(**kwargs: Any) -> SubmissionAccepted:
        body: Any = kwargs["body"]
        runtime = kwargs["runtime"]
        client = kwargs["client"]
        response: Response = kwargs["response"]
        async with runtime.sessions.begin() as session:
            case = await submissions.open_case(
                session,
                item=item,
                mode=body.mode,
                request=body.data,
                client_id=client.id,
                channel="counter" if client.kind == "counter" else "api",
                registry=runtime.registry,
                sealer=runtime.sealer,
                now=utcnow(),
            )
        location = f"/v1/applications/{case.id}"
        response.headers["Location"] = location
        return SubmissionAccepted(id=case.id, item=item.code, status=case.status, location=location)

    endpoint.__signature__ = _signature(models.application, with_response=True)  # type: ignore[attr-defined]
    return endpoint


def build_router(catalogue: Catalogue) -> APIRouter:
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
                **common,
            )
        else:
            router.add_api_route(
                f"/{item.code}/applications",
                _application_endpoint(item, models),
                methods=["POST"],
                status_code=202,
                response_model=SubmissionAccepted,
                **common,
            )
    return router
