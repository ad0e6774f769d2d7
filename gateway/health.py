"""Active health checks: ping every enabled province on an interval."""

from __future__ import annotations

import asyncio

import structlog

from adapters.base import CallbackReceiver
from adapters.errors import AdapterError
from gateway.registry import Health, Registry
from gateway.store.types import utcnow

log = structlog.get_logger(__name__)


async def check_all(
    registry: Registry, *, only: list[str] | None = None, callback_base: str | None = None
) -> None:
    """Ping every enabled province; (re)subscribe callback receivers while at it."""
    configs = [c for c in registry.configs() if c.enabled and (only is None or c.code in only)]

    async def check(code: str) -> None:
        adapter = registry.adapter(code)
        if adapter is None:
            return
        try:
            await adapter.ping()
            if callback_base and isinstance(adapter, CallbackReceiver):
                await adapter.subscribe(f"{callback_base.rstrip('/')}/v1/callbacks/{code}")
        except AdapterError as exc:
            was = registry.health.get(code)
            if was is None or was.healthy:
                log.warning("province_unhealthy", province=code, error=exc.message)
            registry.health[code] = Health(False, utcnow(), f"{type(exc).__name__}: {exc.message}")
        else:
            registry.health[code] = Health(True, utcnow(), None)

    await asyncio.gather(*(check(c.code) for c in configs))


async def run_forever(registry: Registry, interval: float, callback_base: str) -> None:
    while True:
        try:
            await check_all(registry, callback_base=callback_base)
        except Exception:
            log.exception("health_round_failed")
        await asyncio.sleep(interval)
