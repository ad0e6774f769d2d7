"""The loop every background worker runs: rounds of work, idling and backing off."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger(__name__)

MAX_PAUSE_SECONDS = 5.0


async def run_rounds(name: str, round_: Callable[[], Awaitable[int]], idle_seconds: float) -> None:
    """Call ``round_`` forever; it returns how much it did. Idle when nothing was done; when a
    round fails (the database may be away: the work stays where it is) back off
    exponentially, logging the first failure of a streak in full and the rest briefly."""
    failures = 0
    while True:
        try:
            done = await round_()
            failures = 0
        except Exception as exc:
            failures += 1
            done = 0
            if failures == 1:
                log.exception(name)
            else:
                log.warning(name, error=type(exc).__name__, streak=failures)
        if done == 0:
            await asyncio.sleep(min(MAX_PAUSE_SECONDS, idle_seconds * 2 ** min(failures, 8)))
