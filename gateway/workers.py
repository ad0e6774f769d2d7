"""The background loops a gateway process runs: delivery to provinces, client webhooks,
housekeeping. ``tongban serve`` runs them in-process; ``tongban worker`` runs only them."""

from __future__ import annotations

import asyncio

import structlog

from gateway import retention
from gateway.outbox import Worker
from gateway.runtime import Runtime
from gateway.store.types import utcnow
from gateway.webhooks import Deliverer

log = structlog.get_logger(__name__)

HOUSEKEEPING_SECONDS = 600.0


async def housekeeping(runtime: Runtime, interval: float = HOUSEKEEPING_SECONDS) -> None:
    while True:
        try:
            settings = runtime.settings
            async with runtime.sessions.begin() as session:
                purged = await retention.run(
                    session,
                    now=utcnow(),
                    personal_days=settings.personal_data_retention_days,
                    audit_days=settings.audit_retention_days,
                )
            if any(vars(purged).values()):
                log.info("retention_purged", **vars(purged))
        except Exception:
            log.exception("housekeeping_failed")
        await asyncio.sleep(interval)


def start(runtime: Runtime) -> list[asyncio.Task[None]]:
    settings = runtime.settings
    worker = Worker(settings, runtime.sessions, runtime.registry, runtime.applier, runtime.sealer)
    deliverer = Deliverer(settings, runtime.sessions, runtime.http, runtime.sealer)
    return [
        asyncio.create_task(worker.run_forever(), name="outbox-worker"),
        asyncio.create_task(deliverer.run_forever(), name="webhook-deliverer"),
        asyncio.create_task(housekeeping(runtime), name="housekeeping"),
    ]
