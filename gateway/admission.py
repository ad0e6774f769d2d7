"""Admission: at most ``Settings.query_max_in_flight`` queries worked on at once per process.

A query's work is CPU-bound, so more in flight adds no throughput, only memory. The rest wait
their turn in order, and they wait outside the whole middleware stack (``AdmittingFastAPI``),
before anything else runs. A request suspended inside the stack holds a coroutine frame,
closures and a scope copy for each layer it has entered (Starlette's error middleware,
FastAPI's telemetry and body-limit wrappers, ``Hardening``, the access log). Measured under
1,000 connections (1,000 queries in flight, 128 at work): a waiting query held 12
coroutines inside the stack and 6 here, and Python's heap at the peak fell from 89.9 to
86.0 MB. What a waiting request holds is what bounds a process's RSS.

The access log and the latency metrics still count the wait: ``Admission`` notes when the
query arrived in its scope (``ARRIVED``), and ``gateway.observability`` times from there.

Only queries (``POST /v1/items/{code}/queries``) are admitted this way: other calls are
rarer and short, and health checks and metrics must answer while queries queue.
"""

from __future__ import annotations

import asyncio
import time

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

_PREFIX = "/v1/items/"
_SUFFIX = "/queries"
# The scope key holding ``time.perf_counter()`` at a query's arrival, before its wait.
ARRIVED = "tongban.arrived"


def is_query(scope: Scope) -> bool:
    path: str = scope["path"]
    return scope["method"] == "POST" and path.startswith(_PREFIX) and path.endswith(_SUFFIX)


class Admission:
    """Pure ASGI wrapper; the semaphore is the runtime's (``Runtime.admission``), made in the
    app's lifespan, and found through ``scope["app"]`` (set by Starlette before its stack)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_query(scope):
            await self.app(scope, receive, send)
            return
        scope[ARRIVED] = time.perf_counter()
        slots: asyncio.Semaphore = scope["app"].state.runtime.admission
        async with slots:
            await self.app(scope, receive, send)


class AdmittingFastAPI(FastAPI):
    """FastAPI with ``Admission`` around its whole middleware stack, outside even the layers
    FastAPI itself puts first (``app.add_middleware`` can only reach inside those)."""

    def build_middleware_stack(self) -> ASGIApp:
        return Admission(super().build_middleware_stack())
