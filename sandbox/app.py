"""`create_app(family)`: the ASGI app of one family server, hosting all its provinces."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from sandbox import FAMILIES
from sandbox.batch_callback import app as batch_callback_app
from sandbox.form_sm3 import app as form_sm3_app
from sandbox.provinces import Catalog, load_catalog
from sandbox.rest_oauth import app as rest_oauth_app
from sandbox.soap_gbk import app as soap_gbk_app

_BUILDERS: dict[str, Callable[..., FastAPI]] = {
    "rest_oauth": rest_oauth_app.create,
    "soap_gbk": soap_gbk_app.create,
    "form_sm3": form_sm3_app.create,
    "batch_callback": batch_callback_app.create,
}
assert set(_BUILDERS) == set(FAMILIES)


def create_app(
    family: str,
    *,
    step_seconds: float = 2.0,
    catalog: Catalog | Path | None = None,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """The simulated provincial system for `family`.

    `catalog` is the province data: a loaded Catalog, a path to a provinces.toml, or None for
    the bundled `sandbox/provinces.toml`.
    """
    builder = _BUILDERS.get(family)
    if builder is None:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
    if not isinstance(catalog, Catalog):
        catalog = load_catalog(catalog)
    return builder(catalog, step_seconds=step_seconds, clock=clock)
