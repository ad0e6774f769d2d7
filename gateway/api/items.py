"""Discovery: the catalogue of service items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from gateway import i18n
from gateway.api.deps import ClientDep, RuntimeDep
from gateway.api.operations import ALL_RESPONSES, ERROR_RESPONSES
from gateway.api.views import ItemDetail, ItemPage, ItemSummary
from gateway.problems import not_found
from schemas._model import Kind, Mode, Subject

# What any authenticated call can answer besides its own errors: no or a bad key, a scope
# the client lacks, its rate limit.
router = APIRouter(
    prefix="/v1/items",
    tags=["catalogue"],
    responses={status: ERROR_RESPONSES[status] for status in (401, 403, 429)},
)


def _language(response: Response, accept_language: str | None) -> i18n.Lang:
    lang = i18n.negotiate(accept_language)
    response.headers["Content-Language"] = i18n.content_language(lang)
    response.headers["Vary"] = "Accept-Language"
    return lang


@router.get("", operation_id="list_items", summary="List service items / 事项列表")
async def list_items(
    runtime: RuntimeDep,
    _client: ClientDep,
    response: Response,
    accept_language: i18n.AcceptLanguage = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    batch: Annotated[int | None, Query(ge=2020, le=2021)] = None,
    subject: Subject | None = None,
    kind: Kind | None = None,
    mode: Mode | None = None,
    department: Annotated[str | None, Query(max_length=40)] = None,
    province: Annotated[str | None, Query(pattern=r"^\d{2}0000$")] = None,
) -> ItemPage:
    lang = _language(response, accept_language)
    registry = runtime.registry
    selected = []
    for item in runtime.catalogue.items():
        serving = registry.serving(item.code)
        if (
            (batch is None or item.batch == batch)
            and (subject is None or item.subject is subject)
            and (kind is None or item.kind is kind)
            and (mode is None or mode in item.modes)
            and (department is None or item.department.value == department)
            and (province is None or province in serving)
        ):
            selected.append(ItemSummary.of(item, serving, lang))
    start = (page - 1) * limit
    return ItemPage(
        items=selected[start : start + limit], total=len(selected), page=page, limit=limit
    )


@router.get(
    "/{code}",
    operation_id="get_item",
    summary="One service item / 事项详情",
    responses={404: {**ALL_RESPONSES[404], "description": "Unknown item"}},  # a problem too
)
async def get_item(
    code: str,
    runtime: RuntimeDep,
    _client: ClientDep,
    response: Response,
    accept_language: i18n.AcceptLanguage = None,
) -> ItemDetail:
    item = runtime.catalogue.get(code)
    if item is None:
        raise not_found("Item", f"no service item has the code {code!r}")
    lang = _language(response, accept_language)
    summary = ItemSummary.of(item, runtime.registry.serving(code), lang)
    return ItemDetail(
        **summary.model_dump(),
        request_schema=item.request_model.model_json_schema(),
        result_schema=item.result_model.model_json_schema(),
    )
