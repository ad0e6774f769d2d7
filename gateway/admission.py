"""Admission: at most ``Settings.query_max_in_flight`` queries worked on at once per process.

A query's work is CPU-bound, so more in flight adds no throughput, only memory. The rest wait
their turn in order, and they wait here, at the edge of the app, before anything else runs:
a request suspended deep in the middleware and routing stack holds ~20 KB of frames, scope
copies and context managers; one suspended here holds its connection's state and little
more. Under 1,000 connections that is what bounds a process's RSS.

Only queries (``POST /v1/items/{code}/queries``) are admitted this way: other calls are
rarer and short, and health checks and metrics must answer while queries queue.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

_PREFIX = "/v1/items/"
_SUFFIX = "/queries"


def is_query(scope: Scope) -> bool:
    path: str = scope["path"]
    return scope["method"] == "POST" and path.startswith(_PREFIX) and path.endswith(_SUFFIX)


class Admission:
    """Pure ASGI middleware; the semaphore is the runtime's (``Runtime.admission``), made in
    the app's lifespan."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_query(scope):
            await self.app(scope, receive, send)
            return
        slots: asyncio.Semaphore = scope["app"].state.runtime.admission
        async with slots:
            await self.app(scope, receive, send)
