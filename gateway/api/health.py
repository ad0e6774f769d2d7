"""Liveness and readiness, outside /v1 and without credentials."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from gateway.api.deps import RuntimeDep

router = APIRouter(tags=["service"])  # not "health": that tag is the health department's


@router.get("/healthz", operation_id="healthz", summary="Liveness")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    operation_id="readyz",
    summary="Readiness, with per-province detail",
    responses={503: {"description": "Database unreachable"}},
)
async def readyz(runtime: RuntimeDep) -> Any:
    detail: dict[str, Any] = {"database": "ok", "provinces": {}}
    status = 200
    try:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        detail["database"] = f"unreachable: {type(exc).__name__}"
        status = 503
    for config in runtime.registry.configs():
        health = runtime.registry.health.get(config.code)
        detail["provinces"][config.code] = {
            "enabled": config.enabled,
            "healthy": bool(health and health.healthy),
            "error": health.error if health else None,
        }
    detail["status"] = "ok" if status == 200 else "unavailable"
    return JSONResponse(detail, status_code=status)
