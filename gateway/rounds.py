"""The loop every background worker runs: rounds of work, idling and backing off."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger(__name__)

MAX_PAUSE_SECONDS = 5.0


async def run_rounds(
    name: str,
    round_: Callable[[], Awaitable[int]],
    idle_seconds: float,
    stop: asyncio.Event,
) -> None:
    """Call ``round_`` forever; it returns how much it did. Idle when nothing was done; when a
    round fails (the database may be away: the work stays where it is) back off
    exponentially, logging the first failure of a streak in full and the rest briefly. Once
    ``stop`` is set, return after the round in progress (``workers.finish``)."""
    failures = 0
    while not stop.is_set():
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
            await pause(min(MAX_PAUSE_SECONDS, idle_seconds * 2 ** min(failures, 8)), stop)


async def pause(seconds: float, stop: asyncio.Event) -> None:
    """Sleep ``seconds``, or less if ``stop`` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await stop.wait()
