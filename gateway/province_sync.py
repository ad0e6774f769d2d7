"""Keep this process's registry in step with the provinces registered in the database."""

from __future__ import annotations

import asyncio

import structlog

from adapters.errors import ConfigurationError
from gateway import province_store
from gateway.runtime import Runtime

log = structlog.get_logger(__name__)


async def sync_once(runtime: Runtime) -> list[str]:
    """Install every province whose database version changed; returns their codes."""
    registry = runtime.registry
    async with runtime.sessions() as session:
        current = await province_store.versions(session)
        changed = [code for code, v in current.items() if registry.versions.get(code) != v]
        loaded = await province_store.load(session, runtime.sealer, changed) if changed else []
    for config, version in loaded:
        try:
            registry.install(config, version=version)
        except ConfigurationError as exc:
            # E.g. a family installed on the registering process but not on this one.
            registry.versions[config.code] = version
            log.error("province_not_installable", province=config.code, error=exc.message)
        else:
            log.info(
                "province_installed",
                province=config.code,
                version=version,
                family=config.family,
                enabled=config.enabled,
            )
    return [config.code for config, _ in loaded]


async def run_forever(runtime: Runtime, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await sync_once(runtime)
        except Exception:
            log.exception("province_sync_failed")
