"""Prometheus metrics, all named ``tongban_*``; labels carry codes, never personal data.

Label values are bounded sets: HTTP method, route *template* (``/v1/applications/{case_id}``,
never the raw path), status code, item code, province code, adapter operation, outcome,
breaker state. Nothing a client typed ends up in a label.

Several processes (``tongban serve --processes N``, or uvicorn/gunicorn workers): set
``PROMETHEUS_MULTIPROC_DIR`` to an empty directory writable by every worker *before* they
start (the CLI does this itself for ``--processes`` > 1). Each process then writes its
samples to files there and ``/metrics``, whichever process answers it, aggregates all of
them: counters and histograms are summed, breaker-state gauges take the worst live value,
in-flight gauges the live sum. Empty the directory between runs of the whole service.

Case counts by status and the overdue count are read from the database when ``/metrics`` is
scraped (one ``COUNT … GROUP BY`` and one ``COUNT``), cached for a few seconds, so every
process reports the same totals and nothing has to be kept in step with the cases.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.store.tables import Case
from schemas._status import TERMINAL, CaseStatus

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR" in os.environ  # as prometheus_client decides

# Our own registry: the default one would also export the library's process collectors,
# which are wrong (one process' view) when several workers share the files.
REGISTRY = CollectorRegistry(auto_describe=True)

_LATENCY_BUCKETS = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)

HTTP_REQUESTS = Counter(
    "tongban_http_requests",
    "HTTP requests answered, by route template and status",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "tongban_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
UPSTREAM_REQUESTS = Counter(
    "tongban_upstream_requests",
    "Adapter calls to provinces, by item, province, operation and outcome "
    "(ok, rejected, not_found, not_served, timeout, unavailable, auth, protocol, "
    "circuit_open, overloaded, error)",
    ["item", "province", "operation", "outcome"],
    registry=REGISTRY,
)
LOOP_LAG = Histogram(
    "tongban_event_loop_lag_seconds",
    "How late a 100 ms timer fired: what every request waited behind the loop (looplag.py)",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
    registry=REGISTRY,
)
UPSTREAM_DURATION = Histogram(
    "tongban_upstream_duration_seconds",
    "Duration of one attempt at a province (calls refused by the breaker or bulkhead excluded)",
    ["province", "operation"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
UPSTREAM_RETRIES = Counter(
    "tongban_upstream_retries",
    "Retries made after a failed attempt (idempotent calls only)",
    ["province", "operation"],
    registry=REGISTRY,
)
RETRY_BUDGET_EXHAUSTED = Counter(
    "tongban_retry_budget_exhausted",
    "Retries not made because the province's retry budget was spent",
    ["province"],
    registry=REGISTRY,
)
BREAKER_STATE = Gauge(
    "tongban_circuit_breaker_state",
    "1 for the breaker's current state (closed, open, half_open), 0 for the others",
    ["province", "state"],
    registry=REGISTRY,
    multiprocess_mode="livemax",
)
BREAKER_TRANSITIONS = Counter(
    "tongban_circuit_breaker_transitions",
    "Breaker state changes, by the state entered",
    ["province", "state"],
    registry=REGISTRY,
)
IN_FLIGHT = Gauge(
    "tongban_upstream_in_flight",
    "Adapter calls in flight, by province",
    ["province"],
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
BULKHEAD_REJECTIONS = Counter(
    "tongban_bulkhead_rejections",
    "Calls refused at once because the province had too many in flight",
    ["province"],
    registry=REGISTRY,
)

_BEIJING = dt.timezone(dt.timedelta(hours=8))


def beijing_today() -> dt.date:
    return dt.datetime.now(dt.UTC).astimezone(_BEIJING).date()


@dataclass
class CaseGauges:
    """Case counts by status and overdue cases, read from the database, cached briefly."""

    sessions: async_sessionmaker[AsyncSession]
    ttl_seconds: float = 5.0
    _at: float = field(default=-1e9, init=False)
    _by_status: dict[str, int] = field(default_factory=dict, init=False)
    _overdue: int = field(default=0, init=False)
    _error: bool = field(default=False, init=False)

    async def refresh(self) -> None:
        now = time.monotonic()
        if now - self._at < self.ttl_seconds:
            return
        terminal = [s.value for s in TERMINAL]
        try:
            async with self.sessions() as session:
                rows = await session.execute(
                    select(Case.status, func.count()).group_by(Case.status)
                )
                by_status = {str(status): int(count) for status, count in rows.all()}
                overdue = await session.scalar(
                    select(func.count())
                    .select_from(Case)
                    .where(Case.promised_due < beijing_today(), Case.status.not_in(terminal))
                )
        except Exception:  # the database may be away: say so, keep the last figures
            self._error = True
        else:
            self._by_status, self._overdue, self._error = by_status, int(overdue or 0), False
        self._at = now

    def families(self) -> list[Metric]:
        cases = GaugeMetricFamily(
            "tongban_cases", "Cases by canonical status (read at scrape time)", labels=["status"]
        )
        for status in CaseStatus:
            cases.add_metric([status.value], self._by_status.get(status.value, 0))
        overdue = GaugeMetricFamily(
            "tongban_cases_overdue",
            "Cases past their promised completion date (Beijing time) and not terminal",
        )
        overdue.add_metric([], self._overdue)
        up = GaugeMetricFamily(
            "tongban_case_gauges_up", "1 when the case figures were read from the database"
        )
        up.add_metric([], 0 if self._error else 1)
        return [cases, overdue, up]


class _Extra(Collector):
    def __init__(self, metrics: Iterable[Metric]) -> None:
        self._metrics = list(metrics)

    def collect(self) -> Iterator[Metric]:
        yield from self._metrics


def render(case_gauges: CaseGauges | None = None) -> bytes:
    """The exposition text: this process (or every process, in multiprocess mode)."""
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        registry.register(_Forward(REGISTRY))
    if case_gauges is not None:
        registry.register(_Extra(case_gauges.families()))
    return generate_latest(registry)


class _Forward(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self._registry.collect()


def mark_process_dead() -> None:
    """At shutdown of a worker process: drop its live gauges from the aggregate."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def prometheus(request: Request) -> Response:
    """Prometheus exposition; unauthenticated like /healthz, and outside the OpenAPI."""
    state = request.app.state
    gauges: CaseGauges | None = getattr(state, "case_gauges", None)
    if gauges is None:
        gauges = state.case_gauges = CaseGauges(state.runtime.sessions)
    await gauges.refresh()
    return Response(render(gauges), media_type=CONTENT_TYPE)
