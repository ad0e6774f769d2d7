"""The application factory: ``create_app(settings)``; no module-level app or settings."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog
from fastapi import FastAPI
from fastapi.routing import APIRoute

from gateway import (
    __version__,
    errors,
    gctuning,
    health,
    logs,
    looplag,
    metrics,
    province_sync,
    webhooks,
    workers,
)
from gateway.admission import AdmittingFastAPI
from gateway.api import (
    admin,
    admin_clients,
    applications,
    auth,
    callbacks,
    items,
    operations,
    provinces,
)
from gateway.api import health as health_api
from gateway.api import webhooks as webhooks_api
from gateway.api.query_lane import QueryLane
from gateway.audit import Auditor
from gateway.catalogue import Catalogue
from gateway.client_cache import ClientCache
from gateway.docs import install_docs
from gateway.hardening import Hardening
from gateway.httpclient import make_client
from gateway.observability import ObservabilityMiddleware, inject_trace_context, setup_tracing
from gateway.privacy import Sealer
from gateway.quotas import Quotas
from gateway.registry import Registry, discover_families, load_province_files, with_base_urls
from gateway.resilience import Policy
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
    retired = {
        key_id: bytes.fromhex(key.get_secret_value())
        for key_id, key in settings.data_keys_retired.items()
    }
    sealer = Sealer(data_key, settings.data_key_id, retired)
    engine = make_engine(settings.database_url, sealer)
    http = make_client(
        transport=settings.http_transport,
        max_connections=settings.http_max_connections,
        max_keepalive_connections=settings.http_max_keepalive_connections,
        max_answer_bytes=settings.http_max_answer_bytes,
        request_hooks=[inject_trace_context] if settings.otel_enabled else None,
    )
    registry = Registry(
        families=discover_families(),
        http=http,
        policy=Policy.from_settings(settings),
        pool_cap=settings.http_max_connections,
    )
    registry.install_all(
        with_base_urls(load_province_files(settings.provinces_dir), settings.province_base_urls)
    )
    sessions = make_sessions(engine)
    applier = CaseApplier(
        sessions, catalogue, postgres=not settings.is_sqlite, poll_seconds=settings.leg_poll_seconds
    )
    applier.listeners.append(webhooks.on_status_change)
    quotas = Quotas(
        settings.redis_url,
        per_minute=settings.client_rate_per_minute,
        applicant_per_hour=settings.applicant_submissions_per_hour,
    )
    auditor = Auditor(sessions, postgres=not settings.is_sqlite)
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        http=http,
        registry=registry,
        catalogue=catalogue,
        sealer=sealer,
        secret_key=secret_key,
        applier=applier,
        quotas=quotas,
        auditor=auditor,
        clients=ClientCache(sessions),
        admission=asyncio.Semaphore(settings.query_max_in_flight),
    )


def create_app(settings: Settings) -> FastAPI:
    logs.configure(settings.log_level, json=settings.log_json)
    setup_tracing(settings.otel_enabled, settings.otel_service_name)
    catalogue = Catalogue.load()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with gctuning.building():
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
        audit_task = asyncio.create_task(runtime.auditor.run_forever(), name="audit")
        tasks.append(asyncio.create_task(looplag.watch(), name="loop-lag"))
        stop = asyncio.Event()
        loops = workers.start(runtime, stop) if settings.run_workers else []
        gctuning.settle(settings.gc_young_threshold)
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await workers.finish(loops, stop)
            # Last, once nothing else records: the auditor writes what it holds and stops.
            runtime.auditor.stop()
            await asyncio.gather(audit_task, return_exceptions=True)
            await runtime.http.aclose()
            await runtime.engine.dispose()
            metrics.mark_process_dead()

    app = AdmittingFastAPI(
        title="Tongban 通办 — inter-provincial government services gateway",
        version=__version__,
        summary="One API, one schema per service item, every province behind it.",
        description=(
            "Unified, typed operations for the State Council's inter-provincial service items "
            "(跨省通办). Every /v1 call needs `Authorization: Bearer <API key>`. Errors are RFC "
            "9457 problem+json with bilingual titles. No fee is ever added by the gateway."
        ),
        lifespan=lifespan,
        # FastAPI's own OpenTelemetry would add a second server span per request (and OTel
        # metrics and logs) once a tracer provider is set: ObservabilityMiddleware traces,
        # /metrics counts, structlog logs.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        generate_unique_id_function=_operation_id,
        docs_url=None,  # served by gateway.docs from vendored assets, no CDN
        redoc_url=None,
    )
    errors.install(app)
    # Queries wait for their turn outside all of this (AdmittingFastAPI, gateway.admission).
    app.add_middleware(QueryLane)  # innermost: a query's route by its path (query_lane)
    app.add_middleware(
        ObservabilityMiddleware, access_log=settings.access_log, count=settings.metrics_enabled
    )
    # Outermost: refuse oversized bodies before anything else reads them.
    app.add_middleware(Hardening, max_body_bytes=settings.max_body_bytes)
    if settings.metrics_enabled:
        app.include_router(metrics.router)
    app.include_router(health_api.router)
    app.include_router(items.router)
    # Routes are tried in order, each costing a little (gateway.api.item_route), so the
    # most frequent calls come first: the 29 item queries, then the cases apps poll
    # (``GET /v1/applications/{id}``), then the 103 items' submissions. The OpenAPI
    # document does not follow this order. Item routes are shared and already built
    # (see build_router): include_router would rebuild them.
    queries, submissions = operations.routes_by_kind(catalogue)
    app.router.routes.extend(queries)
    app.include_router(applications.router)
    app.router.routes.extend(submissions)
    app.include_router(provinces.router)
    app.include_router(admin.router)
    app.include_router(admin_clients.router)
    app.include_router(auth.router)
    app.include_router(callbacks.router)
    app.include_router(webhooks_api.router)
    install_docs(app)
    return app


def app_from_environment() -> FastAPI:
    """A factory for ``uvicorn --factory`` (``tongban serve --processes N``): settings from
    the environment."""
    with gctuning.building():
        return create_app(Settings())
