"""Item operations' route class: a route that says no to other paths in one comparison.

Starlette and FastAPI find a request's route by asking each route in turn, in order, whether
it matches (``route.matches``), and the gateway has one route per item (132). A plain
``APIRoute`` answers no in ~0.75 µs (it looks up FastAPI's included-router context, then runs
its path regex): the last query item took ~120 µs to find its route, and
``GET /v1/applications/{id}``, behind all the items, ~123 µs, against ~650 µs for a whole
query in one process. (``gateway.app`` also orders the routes: queries, cases, submissions.)

Item paths have no parameters (``/v1/items/{code}/queries`` is one route per code), so a
path that does not end with the route's own cannot match it, whatever the method: the route
is either the app's own (the path is the route's) or included in a router under a prefix
(the prefix, then the route's). ``ItemRoute`` checks that first (~0.25 µs) and asks
``APIRoute`` only when it holds; its verdicts are ``APIRoute``'s
(``tests/unit/api/test_item_route.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope


class ItemRoute(APIRoute):
    """An ``APIRoute`` on a path without parameters, quick to pass over."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.param_convertors:
            raise ValueError(f"ItemRoute is for paths without parameters, not {path!r}")

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        # The path routed on is the request's path, or its end under a root path.
        if scope["type"] == "http" and not scope["path"].endswith(self.path):
            return Match.NONE, {}
        return super().matches(scope)
