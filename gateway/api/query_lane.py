"""Queries go straight to their route: one dictionary lookup instead of the router's walk.

Below the app's middleware, a request still passes Starlette's ``ExceptionMiddleware``,
FastAPI's ``AsyncExitStackMiddleware`` and router (which asks routes in turn, then records
the one it chose in FastAPI's scope bookkeeping) and the route's own wrapper (two more exit
stacks, for dependencies a query route does not have): ~7 % of a query's instructions
(valgrind, in-process), for work a query does not need. A query's path names its route
exactly (``/v1/items/{code}/queries``, one ``QueryRoute`` per item), so ``QueryLane`` finds
it in a dictionary and runs its handler (``QueryRoute.handler``) as the route would: the
same scope keys (``route``, ``endpoint``, ``path_params``, ``router``) and the app's same
exception handlers, with Starlette's own ``wrap_app_handling_exceptions``.

Anything else (another path or method, a path no query route has, an app mounted under a
root path) goes the usual way. ``tests/integration/test_query_lane.py`` holds the lane's
answers, errors included, to the router's.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette._exception_handler import wrap_app_handling_exceptions
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.admission import is_query
from gateway.api.queries import QueryRoute


class QueryLane:
    """Pure ASGI middleware, innermost of the app's: queries to their route directly."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._routes: dict[str, QueryRoute] | None = None
        self._handlers: tuple[dict[Any, Any], dict[int, Any]] = ({}, {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_query(scope) or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        routes = self._routes if self._routes is not None else self._learn(scope["app"])
        route = routes.get(scope["path"])
        if route is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = route
        scope["endpoint"] = route.endpoint
        scope["path_params"] = {}
        scope.setdefault("router", scope["app"].router)
        scope["starlette.exception_handlers"] = self._handlers
        request = Request(scope, receive, send)
        handler = route.handler

        async def respond(scope: Scope, receive: Receive, send: Send) -> None:
            response = await handler(request)
            await response(scope, receive, send)

        await wrap_app_handling_exceptions(respond, request)(scope, receive, send)

    def _learn(self, app: FastAPI) -> dict[str, QueryRoute]:
        """The app's query routes by path, and its exception handlers as Starlette's
        ``ExceptionMiddleware`` holds them (the 500 handler stays the outermost's)."""
        handlers = {k: v for k, v in app.exception_handlers.items() if k not in (500, Exception)}
        below = ExceptionMiddleware(self.app, handlers=handlers)
        self._handlers = (below._exception_handlers, below._status_handlers)
        self._routes = {r.path: r for r in app.router.routes if isinstance(r, QueryRoute)}
        return self._routes
