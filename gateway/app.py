"""The application factory: ``create_app(settings)``; no module-level app or settings."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import structlog
from fastapi import FastAPI
from fastapi.routing import APIRoute

from gateway import __version__, errors, health, logs, province_sync, webhooks, workers
from gateway.api import admin, applications, callbacks, items, operations, provinces
from gateway.api import health as health_api
from gateway.api import webhooks as webhooks_api
from gateway.catalogue import Catalogue
from gateway.privacy import Sealer
from gateway.registry import Registry, discover_families, load_province_files, with_base_urls
from gateway.runtime import Runtime
from gateway.secrets import resolve_secrets
from gateway.settings import Settings
from gateway.store.db import make_engine, make_sessions
from gateway.transitions import CaseApplier

log = structlog.get_logger(__name__)


def _operation_id(route: APIRoute) -> str:
    # Every route names its operation_id explicitly; this keeps FastAPI from inventing one.
    return route.name


def build_runtime(settings: Settings, catalogue: Catalogue) -> Runtime:
    secret_key, data_key = resolve_secrets(settings)
    engine = make_engine(settings.database_url)
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(10.0, connect=3.0),
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        follow_redirects=False,
        trust_env=False,
    )
    registry = Registry(families=discover_families(), http=http)
    registry.install_all(
        with_base_urls(load_province_files(settings.provinces_dir), settings.province_base_urls)
    )
    sessions = make_sessions(engine)
    applier = CaseApplier(
        sessions, catalogue, postgres=not settings.is_sqlite, poll_seconds=settings.leg_poll_seconds
    )
    applier.listeners.append(webhooks.on_status_change)
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        http=http,
        registry=registry,
        catalogue=catalogue,
        sealer=Sealer(data_key, settings.data_key_id),
        secret_key=secret_key,
        applier=applier,
    )


def create_app(settings: Settings) -> FastAPI:
    logs.configure(settings.log_level, json=settings.log_json)
    catalogue = Catalogue.load()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = build_runtime(settings, catalogue)
        app.state.runtime = runtime
        try:
            await province_sync.sync_once(runtime)
        except Exception:  # the database may be away at start; the loop retries
            log.exception("province_sync_at_start_failed")
        tasks = [
            asyncio.create_task(
                health.run_forever(
                    runtime.registry, settings.health_interval_seconds, settings.public_url
                ),
                name="health",
            ),
            asyncio.create_task(
                province_sync.run_forever(runtime, settings.registry_sync_seconds),
                name="province-sync",
            ),
        ]
        if settings.run_workers:
            tasks.extend(workers.start(runtime))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await runtime.http.aclose()
            await runtime.engine.dispose()

    app = FastAPI(
        title="Tongban 通办 — inter-provincial government services gateway",
        version=__version__,
        summary="One API, one schema per service item, every province behind it.",
        description=(
            "Unified, typed operations for the State Council's inter-provincial service items "
            "(跨省通办). Every /v1 call needs `Authorization: Bearer <API key>`. Errors are RFC "
            "9457 problem+json with bilingual titles. No fee is ever added by the gateway."
        ),
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    errors.install(app)
    app.include_router(health_api.router)
    app.include_router(items.router)
    app.include_router(operations.build_router(catalogue))
    app.include_router(applications.router)
    app.include_router(provinces.router)
    app.include_router(admin.router)
    app.include_router(callbacks.router)
    app.include_router(webhooks_api.router)
    return app
