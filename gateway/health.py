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
    registry: Registry,
    *,
    only: list[str] | None = None,
    callback_base: str | None = None,
    spread_seconds: float = 0.0,
) -> None:
    """Ping every enabled province; (re)subscribe callback receivers while at it.

    With ``spread_seconds``, the pings start evenly over that time instead of at once: 31
    answers arriving together cost the event loop tens of milliseconds in one go, which
    every request in flight would wait for (the p99).
    """
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

    if spread_seconds <= 0 or len(configs) < 2:
        await asyncio.gather(*(check(c.code) for c in configs))
        return
    step = spread_seconds / len(configs)
    started: list[asyncio.Task[None]] = []
    try:
        for config in configs:
            started.append(asyncio.create_task(check(config.code)))
            await asyncio.sleep(step)
        await asyncio.gather(*started)
    finally:
        for task in started:
            task.cancel()


async def run_forever(registry: Registry, interval: float, callback_base: str) -> None:
    while True:
        try:
            await check_all(registry, callback_base=callback_base, spread_seconds=interval / 2)
        except Exception:
            log.exception("health_round_failed")
        await asyncio.sleep(interval)
