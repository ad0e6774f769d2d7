"""The background loops a gateway process runs: delivery to provinces, client webhooks,
housekeeping. ``tongban serve`` runs them in-process; ``tongban worker`` runs only them."""

from __future__ import annotations

import asyncio

import structlog

from gateway import retention
from gateway.outbox import Worker
from gateway.rounds import pause
from gateway.runtime import Runtime
from gateway.store.types import utcnow
from gateway.webhooks import Deliverer

log = structlog.get_logger(__name__)

HOUSEKEEPING_SECONDS = 600.0


async def housekeeping(
    runtime: Runtime, stop: asyncio.Event, interval: float = HOUSEKEEPING_SECONDS
) -> None:
    while not stop.is_set():
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
        await pause(interval, stop)


STOP_GRACE_SECONDS = 10.0


def start(runtime: Runtime, stop: asyncio.Event) -> list[asyncio.Task[None]]:
    """The loops, running until ``stop`` is set (``finish``)."""
    settings = runtime.settings
    worker = Worker(settings, runtime.sessions, runtime.registry, runtime.applier, runtime.sealer)
    deliverer = Deliverer(settings, runtime.sessions, runtime.http, runtime.sealer)
    return [
        asyncio.create_task(worker.run_forever(stop), name="outbox-worker"),
        asyncio.create_task(deliverer.run_forever(stop), name="webhook-deliverer"),
        asyncio.create_task(housekeeping(runtime, stop), name="housekeeping"),
    ]


async def finish(
    tasks: list[asyncio.Task[None]], stop: asyncio.Event, grace: float = STOP_GRACE_SECONDS
) -> None:
    """Stop the loops between rounds: each ends the round in progress and returns; whatever
    still runs after ``grace`` seconds is cancelled. Cancelling a round half-way through a
    transaction can leave, on SQLite, the write lock to a connection nobody finishes, and
    every later writer (the auditor's last flush) waits out the busy timeout and fails."""
    stop.set()
    if not tasks:
        return
    _, overdue = await asyncio.wait(tasks, timeout=grace)
    for task in overdue:
        log.warning("worker_cancelled_at_stop", task=task.get_name(), grace_seconds=grace)
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
