"""Scopes: what a client may do, per item and action. Deny by default.

A scope is ``resource:…:action`` segments; a granted ``*`` segment matches any one segment
(``items:*:submit`` grants every item's submission, never an admin action).
"""

from __future__ import annotations

import re

CATALOGUE_READ = "catalogue:read"
APPLICATIONS_READ = "applications:read"
APPLICATIONS_WRITE = "applications:write"
WEBHOOKS_MANAGE = "webhooks:manage"
ADMIN = "admin"

DEFAULTS: dict[str, tuple[str, ...]] = {
    "app": (
        CATALOGUE_READ,
        "items:*:query",
        "items:*:submit",
        APPLICATIONS_READ,
        APPLICATIONS_WRITE,
        WEBHOOKS_MANAGE,
    ),
    "mini-program": (
        CATALOGUE_READ,
        "items:*:query",
        "items:*:submit",
        APPLICATIONS_READ,
        APPLICATIONS_WRITE,
        WEBHOOKS_MANAGE,
    ),
    "counter": (
        CATALOGUE_READ,
        "items:*:query",
        "items:*:submit",
        APPLICATIONS_READ,
        APPLICATIONS_WRITE,
    ),
    "admin": (ADMIN, CATALOGUE_READ),
}

_SCOPE = re.compile(r"^[a-z*][a-z0-9*\-]*(:[a-z0-9*\-]+)*$")
_ITEM_ACTION = re.compile(r"^/v1/items/([a-z0-9\-]+)/(queries|applications)$")


def valid(scope: str) -> bool:
    return bool(_SCOPE.fullmatch(scope)) and len(scope) <= 120


def grants(granted: str, needed: str) -> bool:
    have, want = granted.split(":"), needed.split(":")
    return len(have) == len(want) and all(h in ("*", w) for h, w in zip(have, want, strict=True))


def allowed(granted: list[str] | tuple[str, ...], needed: str) -> bool:
    return any(grants(scope, needed) for scope in granted)


def required(method: str, path: str) -> str | None:
    """The scope a route needs (path as routed, e.g. ``/v1/applications/{case_id}``)."""
    if match := _ITEM_ACTION.fullmatch(path):
        action = "query" if match.group(2) == "queries" else "submit"
        return f"items:{match.group(1)}:{action}"
    if path.startswith("/admin/"):
        return ADMIN
    if path.startswith(("/v1/items", "/v1/provinces")):
        return CATALOGUE_READ
    if path.startswith("/v1/applications"):
        return APPLICATIONS_READ if method == "GET" else APPLICATIONS_WRITE
    if path.startswith("/v1/webhook"):
        return WEBHOOKS_MANAGE
    return None
