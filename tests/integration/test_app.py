"""The serving process's start-up (gateway/app.py's lifespan)."""

from __future__ import annotations

import gc

from gateway.app import create_app
from gateway.store.migrate import upgrade_async
from tests.conftest import make_settings


async def test_start_up_freezes_what_it_built_and_raises_the_young_gc_threshold(
    sqlite_url: str,
) -> None:
    await upgrade_async(sqlite_url)
    before = gc.get_threshold()
    app = create_app(make_settings(sqlite_url, gc_young_threshold=12_345))
    try:
        async with app.router.lifespan_context(app):
            assert gc.get_threshold()[0] == 12_345
            assert gc.get_threshold()[1:] == before[1:]
            assert gc.get_freeze_count() > 10_000  # catalogue models, routes, provinces
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
