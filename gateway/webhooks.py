"""Client webhooks: case status changes delivered, signed, retried, dead-lettered.

A status change writes a delivery row in the same transaction as the change (so none is
lost and none is sent for a change that was rolled back). ``Deliverer`` claims due rows with
a lease, POSTs them and reschedules failures with jittered exponential backoff; after
``webhook_max_attempts`` a row is dead and listed to its client, who may retry it.

Signature: ``Tongban-Signature: t=<unix seconds>,v1=<hex HMAC-SM3(secret, "<t>.<body>")>``;
``Tongban-Delivery`` carries the delivery id, so receivers can drop repeats (at-least-once).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import ipaddress
import random
import secrets
import socket
import time
import uuid
from urllib.parse import urlsplit

import httpx
import orjson
import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.privacy import Sealer
from gateway.rounds import run_rounds
from gateway.settings import Settings
from gateway.store.tables import Case, Webhook, WebhookDelivery
from gateway.store.types import utcnow
from schemas._status import CaseStatus

log = structlog.get_logger(__name__)

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


class UnsafeWebhookUrl(ValueError):
    pass


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, "sm3").hexdigest()
    return f"t={timestamp},v1={digest}"


async def _private(host: str) -> bool:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    except socket.gaierror:
        return False  # unresolvable now; delivery will fail and retry
    addresses = {str(info[4][0]).split("%")[0] for info in infos}
    return any(not ipaddress.ip_address(a).is_global for a in addresses)


async def check_url(url: str, *, allow_private: bool) -> None:
    """Only http(s), no credentials in the URL, no internal hosts unless allowed (SSRF)."""
    try:
        parts = urlsplit(url)
        hostname, _ = parts.hostname, parts.port  # .port refuses "abc" and 99999
    except ValueError:  # "http://[::1", "http://host:abc/"
        raise UnsafeWebhookUrl("the URL is malformed (host or port)") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise UnsafeWebhookUrl("the URL must be absolute http(s)")
    if parts.username or parts.password:
        raise UnsafeWebhookUrl("the URL must not carry credentials")
    if not allow_private and await _private(hostname):
        raise UnsafeWebhookUrl("the URL points at a private or loopback address")


async def on_status_change(
    session: AsyncSession, case: Case, previous: CaseStatus, now: dt.datetime
) -> None:
    """Queue one delivery for the case's client, if it has a webhook."""
    hook = await session.get(Webhook, case.client_id)
    if hook is None or not hook.enabled:
        return
    session.add(
        WebhookDelivery(
            client_id=case.client_id,
            case_id=case.id,
            due_at=now,
            state=PENDING,
            payload={
                "type": "application.status_changed",
                "id": case.id,
                "item": case.item,
                "status": case.status,
                "previous_status": previous.value,
                "at": now.isoformat(),
                "location": f"/v1/applications/{case.id}",
            },
        )
    )


class Deliverer:
    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        http: httpx.AsyncClient,
        sealer: Sealer,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.http = http
        self.sealer = sealer
        self.owner = f"d-{uuid.uuid4().hex[:12]}"

    async def run_forever(self, stop: asyncio.Event) -> None:
        await run_rounds(
            "webhook_round_failed", self.run_once, self.settings.worker_idle_seconds, stop
        )

    async def run_once(self) -> int:
        now = utcnow()
        free = or_(WebhookDelivery.lease_until.is_(None), WebhookDelivery.lease_until < now)
        lease = now + dt.timedelta(seconds=self.settings.lease_seconds)
        async with self.sessions.begin() as session:
            query = (
                select(WebhookDelivery.id, WebhookDelivery.case_id)
                .where(WebhookDelivery.state == PENDING, WebhookDelivery.due_at <= now, free)
                .order_by(WebhookDelivery.due_at, WebhookDelivery.id)
                .limit(self.settings.worker_concurrency)
            )
            if not self.settings.is_sqlite:
                query = query.with_for_update(skip_locked=True)
            due = (await session.execute(query)).all()
            if not due:
                return 0
            ids = [row.id for row in due]
            await session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id.in_(ids), free)
                .values(lease_until=lease, lease_owner=self.owner)
            )
        # One case's changes one after the other, in the order they happened; cases at once.
        by_case: dict[str, list[int]] = {}
        for delivery_id, case_id in due:
            by_case.setdefault(case_id, []).append(delivery_id)
        await asyncio.gather(*(self._deliver_in_turn(turn) for turn in by_case.values()))
        return len(ids)

    async def _deliver_in_turn(self, delivery_ids: list[int]) -> None:
        for delivery_id in delivery_ids:
            await self._deliver(delivery_id)

    async def _deliver(self, delivery_id: int) -> None:
        async with self.sessions() as session:
            row = await session.get(WebhookDelivery, delivery_id)
            if row is None or row.lease_owner != self.owner:
                return
            hook = await session.get(Webhook, row.client_id)
            payload = row.payload
        status, error = None, None
        if hook is None or not hook.enabled:
            error = "webhook removed or disabled"
        else:
            status, error = await self._post(hook, delivery_id, payload)
        async with self.sessions.begin() as session:
            row = await session.get(WebhookDelivery, delivery_id)
            if row is None or row.lease_owner != self.owner:
                return
            row.attempts += 1
            row.lease_until = row.lease_owner = None
            row.last_status = status
            row.last_error = error
            if error is None:
                row.state, row.delivered_at = DELIVERED, utcnow()
            elif row.attempts >= self.settings.webhook_max_attempts or hook is None:
                row.state = DEAD
                log.warning(
                    "webhook_dead",
                    delivery=delivery_id,
                    client=row.client_id,
                    attempts=row.attempts,
                    error=error,
                )
            else:
                ceiling = min(
                    self.settings.retry_max_seconds,
                    self.settings.retry_base_seconds * 2 ** (row.attempts - 1),
                )
                row.due_at = utcnow() + dt.timedelta(seconds=ceiling * random.uniform(0.5, 1))

    async def _post(
        self, hook: Webhook, delivery_id: int, payload: dict[str, object]
    ) -> tuple[int | None, str | None]:
        try:
            await check_url(hook.url, allow_private=bool(self.settings.webhook_allow_private))
        except UnsafeWebhookUrl as exc:
            return None, str(exc)
        secret = self.sealer.open(hook.secret_sealed, bound_to=f"webhook:{hook.client_id}")
        body = orjson.dumps(payload)
        timestamp = int(time.time())
        try:
            async with asyncio.timeout(self.settings.webhook_timeout_seconds):
                response = await self.http.post(
                    hook.url,
                    content=body,
                    headers={
                        "Content-Type": "application/json",
                        "Tongban-Signature": sign(secret, timestamp, body),
                        "Tongban-Delivery": str(delivery_id),
                    },
                    follow_redirects=False,
                )
        except (TimeoutError, httpx.HTTPError, httpx.InvalidURL) as exc:
            return None, f"{type(exc).__name__}"
        if 200 <= response.status_code < 300:
            return response.status_code, None
        return response.status_code, f"HTTP {response.status_code}"
