"""Provinces: who is connected, on which family, healthy or not, serving what."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.api.deps import ClientDep, RuntimeDep
from gateway.api.operations import ERROR_RESPONSES
from gateway.api.views import ProvinceList, ProvinceView
from gateway.registry import Registry

router = APIRouter(
    prefix="/v1/provinces",
    tags=["provinces"],
    responses={status: ERROR_RESPONSES[status] for status in (401, 403, 429)},
)


def province_views(registry: Registry) -> list[ProvinceView]:
    views = []
    for config in registry.configs():
        health = registry.health.get(config.code)
        views.append(
            ProvinceView(
                code=config.code,
                name=config.name_zh,
                name_en=config.name_en,
                family=config.family,
                enabled=config.enabled,
                healthy=bool(health and health.healthy),
                checked_at=health.checked_at if health else None,
                items=sorted(config.items),
            )
        )
    return views


@router.get("", operation_id="list_provinces", summary="Connected provinces / 接入省份")
async def list_provinces(runtime: RuntimeDep, _client: ClientDep) -> ProvinceList:
    views = province_views(runtime.registry)
    return ProvinceList(provinces=views, total=len(views))
