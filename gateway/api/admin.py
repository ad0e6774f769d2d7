"""The ops API: register, change, enable, disable and check province adapters at run time.

Admin credentials are separate: only clients holding the ``admin`` scope get in, and every
change is written to the audit trail.
Changes are stored in the database and installed at once in this process; the other
processes pick them up within ``registry_sync_seconds``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field, ValidationError

from adapters.base import ItemBinding, ProvinceConfig
from adapters.errors import ConfigurationError
from gateway import province_admin
from gateway.api.deps import AdminDep, RuntimeDep
from gateway.api.operations import ALL_RESPONSES, AUTH_RESPONSES, ERROR_RESPONSES
from gateway.conformance import Subject, run_checks
from gateway.errors import field_errors
from gateway.problems import Problem, invalid, not_found
from gateway.runtime import Runtime
from gateway.security import Principal
from schemas._common import Strict

router = APIRouter(
    prefix="/admin/v1",
    tags=["admin"],
    responses=AUTH_RESPONSES,
)


class Registration(Strict):
    """A province adapter configuration, as ops register it."""

    family: str
    base_url: str
    enabled: bool = True
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    credentials: dict[str, str]
    outbound: dict[str, str] = Field(default_factory=dict)
    inbound: dict[str, str] = Field(default_factory=dict)
    code_tables: dict[str, dict[str, str]] = Field(default_factory=dict)
    items: dict[str, ItemBinding] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)


class Coverage(Strict):
    items: dict[str, ItemBinding]


class AdminProvince(BaseModel):
    code: str
    name: str
    family: str
    base_url: str
    enabled: bool
    healthy: bool
    health_error: str | None
    checked_at: dt.datetime | None
    source: str = Field(description="'file' or 'database'")
    version: int | None
    credential_keys: list[str] = Field(description="Names only: values are never returned")
    items: dict[str, ItemBinding]


class Family(BaseModel):
    name: str
    description: str
    required_credentials: list[str]


class CheckRow(BaseModel):
    name: str
    passed: bool
    detail: str
    seconds: float


class CheckReport(BaseModel):
    province: str
    passed: bool
    checks: list[CheckRow]


def _view(runtime: Runtime, config: ProvinceConfig) -> AdminProvince:
    health = runtime.registry.health.get(config.code)
    version = runtime.registry.versions.get(config.code)
    return AdminProvince(
        code=config.code,
        name=config.name_zh,
        family=config.family,
        base_url=config.base_url,
        enabled=config.enabled,
        healthy=bool(health and health.healthy),
        health_error=health.error if health else None,
        checked_at=health.checked_at if health else None,
        source="database" if version is not None else "file",
        version=version,
        credential_keys=sorted(config.credentials),
        items=dict(sorted(config.items.items())),
    )


def _current(runtime: Runtime, code: str) -> ProvinceConfig:
    config = runtime.registry.config(code)
    if config is None:
        raise not_found("Province", f"no adapter is configured for province {code}")
    return config


async def _store(
    runtime: Runtime, config: ProvinceConfig, admin: Principal, action: str
) -> AdminProvince:
    try:
        await province_admin.store(runtime, config, actor=admin.name)
    except province_admin.UnknownItems as exc:
        raise invalid(
            [
                {"field": f"items.{c}", "message": "unknown item", "type": "value_error"}
                for c in exc.codes
            ],
            str(exc),
        ) from exc
    except ConfigurationError as exc:
        runtime.audit(admin, action, target=config.code, result="refused")
        raise Problem(
            "province-configuration",
            422,
            "Province configuration cannot work / 省份配置无效",
            exc.message,
            province=config.code,
        ) from exc
    runtime.audit(admin, action, target=config.code)
    return _view(runtime, config)


@router.get("/families", operation_id="admin_list_families", summary="Installed families")
async def list_families(runtime: RuntimeDep, _admin: AdminDep) -> list[Family]:
    return [
        Family(
            name=f.name,
            description=f.description,
            required_credentials=list(f.required_credentials),
        )
        for f in runtime.registry.families.values()
    ]


@router.get("/provinces", operation_id="admin_list_provinces", summary="Province adapters")
async def list_provinces(runtime: RuntimeDep, _admin: AdminDep) -> list[AdminProvince]:
    return [_view(runtime, c) for c in runtime.registry.configs()]


@router.get(
    "/provinces/{code}", operation_id="admin_get_province", responses={404: ALL_RESPONSES[404]}
)
async def get_province(code: str, runtime: RuntimeDep, _admin: AdminDep) -> AdminProvince:
    return _view(runtime, _current(runtime, code))


@router.put(
    "/provinces/{code}",
    operation_id="admin_register_province",
    summary="Register or replace a province adapter configuration",
    responses={422: ERROR_RESPONSES[422]},
)
async def register_province(
    code: str, body: Registration, runtime: RuntimeDep, admin: AdminDep
) -> AdminProvince:
    try:
        config = ProvinceConfig.model_validate({**body.model_dump(), "code": code})
    except ValidationError as exc:
        # Each error under its own field (the path's code, or the body's), its message
        # without the offending input: a base URL or credential is not echoed back.
        errors = exc.errors(include_url=False, include_input=False)
        raise invalid(
            field_errors(
                {**e, "loc": ("path", "code") if e["loc"][:1] == ("code",) else e["loc"]}
                for e in errors
            )
        ) from None
    return await _store(runtime, config, admin, "province_register")


@router.post(
    "/provinces/{code}/enable",
    operation_id="admin_enable_province",
    responses={404: ALL_RESPONSES[404]},
)
async def enable_province(code: str, runtime: RuntimeDep, admin: AdminDep) -> AdminProvince:
    config = _current(runtime, code).model_copy(update={"enabled": True})
    return await _store(runtime, config, admin, "province_enable")


@router.post(
    "/provinces/{code}/disable",
    operation_id="admin_disable_province",
    responses={404: ALL_RESPONSES[404]},
)
async def disable_province(code: str, runtime: RuntimeDep, admin: AdminDep) -> AdminProvince:
    config = _current(runtime, code).model_copy(update={"enabled": False})
    return await _store(runtime, config, admin, "province_disable")


@router.put(
    "/provinces/{code}/coverage",
    operation_id="admin_set_province_coverage",
    summary="Replace the items a province serves",
    responses={404: ALL_RESPONSES[404], 422: ERROR_RESPONSES[422]},
)
async def set_coverage(
    code: str, body: Coverage, runtime: RuntimeDep, admin: AdminDep
) -> AdminProvince:
    config = _current(runtime, code).model_copy(update={"items": body.items})
    return await _store(runtime, config, admin, "province_set_coverage")


@router.post(
    "/provinces/{code}/check",
    operation_id="admin_check_province",
    summary="Run the adapter conformance kit against the province's endpoint",
    responses={404: ALL_RESPONSES[404]},
)
async def check_province(code: str, runtime: RuntimeDep, admin: AdminDep) -> CheckReport:
    config = _current(runtime, code)
    family = runtime.registry.families[config.family]
    results = await run_checks(Subject(config, family, runtime.http))
    runtime.audit(
        admin,
        "province_check",
        target=code,
        result="passed" if all(r.passed for r in results) else "failed",
    )
    return CheckReport(
        province=code,
        passed=all(r.passed for r in results),
        checks=[CheckRow(**r.__dict__) for r in results],
    )
