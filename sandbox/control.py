"""The control API at `/_sandbox` (not part of any provincial protocol).

Same on every family server: health, settings (faults, outcome weights, step, token TTL),
reset, counters, and a personal-data-free list of cases.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from sandbox.settings import ConfigUpdate
from sandbox.state import SandboxState


def control_router(state: SandboxState) -> APIRouter:
    router = APIRouter(prefix="/_sandbox", tags=["sandbox control"])

    @router.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "family": state.family, "provinces": sorted(state.provinces)}

    @router.get("/config")
    async def get_config(province: str | None = None) -> dict[str, Any]:
        if province is None:
            return {"family": state.family, **state.config.describe()}
        _known(province)
        return {"province": province, **state.settings(province).as_dict()}

    @router.put("/config")
    async def put_config(change: ConfigUpdate) -> dict[str, Any]:
        if change.province is not None:
            _known(change.province)
        state.config.update(change)
        return await get_config(change.province)

    @router.post("/reset")
    async def reset() -> dict[str, Any]:
        state.reset()
        return {"status": "reset", "family": state.family}

    @router.get("/stats")
    async def stats() -> dict[str, Any]:
        return state.engine.stats()

    @router.get("/{province}/cases")
    async def cases(province: str) -> list[dict[str, Any]]:
        _known(province)
        return [
            {
                "reference": case.reference,
                "serial": case.serial,
                "item_code": case.item.code,
                "status": case.status.value,
                "status_code": state.status_code(case.status),
                "outcome": case.outcome.value,
            }
            for case in state.engine.cases(province)
        ]

    def _known(province: str) -> None:
        if state.province(province) is None:
            raise HTTPException(404, f"province {province} is not hosted by this server")

    return router
