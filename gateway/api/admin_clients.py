"""Ops: register clients (apps, mini-programs, counter terminals, admins), rotate, disable."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select

from gateway import security
from gateway.api.deps import AdminDep, RuntimeDep, SessionDep
from gateway.api.operations import ALL_RESPONSES, AUTH_RESPONSES, ERROR_RESPONSES
from gateway.problems import invalid_field, not_found
from gateway.store.tables import Client
from schemas._common import Strict
from schemas._provinces import PROVINCES

router = APIRouter(
    prefix="/admin/v1/clients",
    tags=["admin"],
    responses=AUTH_RESPONSES,
)


class NewClient(Strict):
    name: str = Field(min_length=1, max_length=100)
    kind: str = Field(default="app", pattern="^(app|mini-program|counter|admin)$")
    scopes: list[str] | None = Field(default=None, description="Default: the kind's scopes")
    province: str | None = Field(
        default=None, pattern=r"^\d{2}0000$", description="Counter terminals: their province"
    )
    service_point: str | None = Field(default=None, max_length=100)
    signing_required: bool | None = Field(
        default=None, description="Default: counter terminals sign, others need not"
    )
    rate_per_minute: int | None = Field(default=None, ge=1, le=100_000)

    @field_validator("province")
    @classmethod
    def _a_real_province(cls, value: str | None) -> str | None:
        if value is not None and value not in PROVINCES:
            raise ValueError("not a provincial-level division / 非省级行政区划代码")
        return value


class ClientView(BaseModel):
    id: str
    name: str
    kind: str
    scopes: list[str]
    enabled: bool
    province: str | None
    service_point: str | None
    signing_required: bool
    rate_per_minute: int | None
    created_at: dt.datetime
    rotated_at: dt.datetime | None


class Credentials(ClientView):
    api_key: str = Field(description="Shown once; stored only as a keyed digest")
    signing_secret: str | None = Field(description="Shown once, for clients that sign")


def _view(client: Client) -> ClientView:
    return ClientView(
        id=client.id,
        name=client.name,
        kind=client.kind,
        scopes=client.scopes,
        enabled=client.enabled,
        province=client.province,
        service_point=client.service_point,
        signing_required=client.signing_required,
        rate_per_minute=client.rate_per_minute,
        created_at=client.created_at,
        rotated_at=client.rotated_at,
    )


def _credentials(issued: security.Issued) -> Credentials:
    return Credentials(
        **_view(issued.client).model_dump(),
        api_key=issued.api_key,
        signing_secret=issued.signing_secret,
    )


@router.post(
    "", operation_id="admin_create_client", status_code=201, responses={422: ERROR_RESPONSES[422]}
)
async def create_client(
    body: NewClient, runtime: RuntimeDep, session: SessionDep, admin: AdminDep
) -> Credentials:
    try:
        issued = await security.register(
            session,
            secret_key=runtime.secret_key,
            sealer=runtime.sealer,
            **body.model_dump(),
        )
    except ValueError as exc:
        raise invalid_field("body", str(exc)) from exc
    await session.commit()
    runtime.audit(admin, "client_create", target=issued.client.id)
    return _credentials(issued)


@router.get("", operation_id="admin_list_clients")
async def list_clients(session: SessionDep, _admin: AdminDep) -> list[ClientView]:
    return [_view(c) for c in await session.scalars(select(Client).order_by(Client.created_at))]


@router.post(
    "/{client_id}/rotate", operation_id="admin_rotate_client", responses={404: ALL_RESPONSES[404]}
)
async def rotate_client(
    client_id: str, runtime: RuntimeDep, session: SessionDep, admin: AdminDep
) -> Credentials:
    try:
        issued = await security.rotate(
            session, secret_key=runtime.secret_key, client_id=client_id, sealer=runtime.sealer
        )
    except LookupError:
        raise not_found("Client", f"no client {client_id}") from None
    await session.commit()
    runtime.clients.forget()
    runtime.audit(admin, "client_rotate", target=client_id)
    return _credentials(issued)


async def _toggle(
    client_id: str, enabled: bool, runtime: RuntimeDep, session: SessionDep, admin: AdminDep
) -> ClientView:
    try:
        client = await security.set_enabled(session, client_id, enabled)
    except LookupError:
        raise not_found("Client", f"no client {client_id}") from None
    await session.commit()
    runtime.clients.forget()
    runtime.audit(admin, "client_enable" if enabled else "client_disable", target=client_id)
    return _view(client)


@router.post(
    "/{client_id}/disable",
    operation_id="admin_disable_client",
    responses={404: ALL_RESPONSES[404]},
)
async def disable_client(
    client_id: str, runtime: RuntimeDep, session: SessionDep, admin: AdminDep
) -> ClientView:
    return await _toggle(client_id, False, runtime, session, admin)


@router.post(
    "/{client_id}/enable", operation_id="admin_enable_client", responses={404: ALL_RESPONSES[404]}
)
async def enable_client(
    client_id: str, runtime: RuntimeDep, session: SessionDep, admin: AdminDep
) -> ClientView:
    return await _toggle(client_id, True, runtime, session, admin)
