"""A client's webhook: where its case status changes go, and what could not be delivered."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import delete, select

from gateway.api.deps import ClientDep, RuntimeDep, SessionDep
from gateway.api.operations import ALL_RESPONSES, AUTH_RESPONSES, ERROR_RESPONSES
from gateway.problems import Problem, invalid_field, not_found
from gateway.store.tables import Webhook, WebhookDelivery
from gateway.store.types import utcnow
from gateway.webhooks import PENDING, UnsafeWebhookUrl, check_url, new_secret
from schemas._common import Strict

router = APIRouter(prefix="/v1/webhook", tags=["webhooks"], responses=AUTH_RESPONSES)


class WebhookSetting(Strict):
    url: str = Field(max_length=500, examples=["https://app.example.com/tongban/events"])
    enabled: bool = True


class WebhookView(BaseModel):
    url: str
    enabled: bool
    secret: str | None = Field(
        default=None, description="Signing secret: returned once, when the webhook is set"
    )


class DeliveryView(BaseModel):
    id: int
    case_id: str
    state: str
    attempts: int
    last_status: int | None
    last_error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    payload: dict[str, object]


@router.put(
    "",
    operation_id="set_webhook",
    summary="Set the webhook / 设置回调地址",
    responses={422: ERROR_RESPONSES[422]},
)
async def set_webhook(
    body: WebhookSetting, runtime: RuntimeDep, session: SessionDep, client: ClientDep
) -> WebhookView:
    try:
        await check_url(body.url, allow_private=bool(runtime.settings.webhook_allow_private))
    except UnsafeWebhookUrl as exc:
        raise invalid_field("url", str(exc)) from exc
    secret = new_secret()
    sealed = runtime.sealer.seal(secret, bound_to=f"webhook:{client.id}")
    hook = await session.get(Webhook, client.id)
    if hook is None:
        session.add(
            Webhook(
                client_id=client.id,
                url=body.url,
                secret_sealed=sealed,
                key_id=runtime.sealer.key_id,
                enabled=body.enabled,
            )
        )
    else:
        hook.url, hook.secret_sealed, hook.enabled = body.url, sealed, body.enabled
        hook.key_id, hook.updated_at = runtime.sealer.key_id, utcnow()
    await session.commit()
    return WebhookView(url=body.url, enabled=body.enabled, secret=secret)


@router.get("", operation_id="get_webhook", responses={404: ALL_RESPONSES[404]})
async def get_webhook(session: SessionDep, client: ClientDep) -> WebhookView:
    hook = await session.get(Webhook, client.id)
    if hook is None:
        raise not_found("Webhook", "this client has no webhook")
    return WebhookView(url=hook.url, enabled=hook.enabled)


@router.delete("", operation_id="delete_webhook", status_code=204)
async def delete_webhook(session: SessionDep, client: ClientDep) -> Response:
    await session.execute(delete(Webhook).where(Webhook.client_id == client.id))
    await session.commit()
    return Response(status_code=204)


@router.get(
    "/deliveries",
    operation_id="list_webhook_deliveries",
    summary="Deliveries, e.g. the dead-letter list (state=dead)",
)
async def list_deliveries(
    session: SessionDep,
    client: ClientDep,
    state: Literal["pending", "delivered", "dead"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[DeliveryView]:
    query = select(WebhookDelivery).where(WebhookDelivery.client_id == client.id)
    if state:
        query = query.where(WebhookDelivery.state == state)
    rows = await session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit))
    return [
        DeliveryView(
            id=r.id,
            case_id=r.case_id,
            state=r.state,
            attempts=r.attempts,
            last_status=r.last_status,
            last_error=r.last_error,
            created_at=r.created_at,
            delivered_at=r.delivered_at,
            payload=r.payload,
        )
        for r in rows
    ]


@router.post(
    "/deliveries/{delivery_id}/retry",
    operation_id="retry_webhook_delivery",
    status_code=202,
    responses={404: ALL_RESPONSES[404], 409: ERROR_RESPONSES[409]},
)
async def retry_delivery(
    delivery_id: Annotated[int, Path(ge=1, le=2**31 - 1)],  # the column's range on PostgreSQL
    session: SessionDep,
    client: ClientDep,
) -> DeliveryView:
    row = await session.get(WebhookDelivery, delivery_id)
    if row is None or row.client_id != client.id:
        raise not_found("Delivery", f"no delivery {delivery_id} for this client")
    if row.state != "dead":
        raise Problem(
            "case-conflict",
            409,
            "Not possible in the delivery's state / 当前状态不允许",
            f"only dead deliveries are retried (this one is {row.state})",
        )
    row.state, row.attempts, row.due_at = PENDING, 0, utcnow()
    await session.commit()
    return DeliveryView(
        id=row.id,
        case_id=row.case_id,
        state=row.state,
        attempts=0,
        last_status=row.last_status,
        last_error=row.last_error,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
        payload=row.payload,
    )
