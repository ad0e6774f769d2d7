"""The workers' loop: rounds, idling, and stopping between rounds."""

from __future__ import annotations

import asyncio
import time

from gateway.rounds import pause, run_rounds


async def test_stop_ends_the_loop_after_the_round_in_progress() -> None:
    stop = asyncio.Event()
    started, release = asyncio.Event(), asyncio.Event()
    rounds: list[str] = []

    async def round_() -> int:
        rounds.append("started")
        started.set()
        try:
            await release.wait()
        except asyncio.CancelledError:
            rounds.append("cancelled")
            raise
        rounds.append("finished")
        return 1  # work was done: no pause before the next round

    loop = asyncio.create_task(run_rounds("test_round_failed", round_, 60.0, stop))
    await started.wait()
    stop.set()
    await asyncio.sleep(0.02)
    assert not loop.done()  # the round in progress is not interrupted
    release.set()
    await asyncio.wait_for(loop, 1)
    assert rounds == ["started", "finished"]


async def test_an_idle_pause_ends_when_stop_is_set() -> None:
    stop = asyncio.Event()

    async def idle() -> int:
        return 0

    loop = asyncio.create_task(run_rounds("test_round_failed", idle, 60.0, stop))
    await asyncio.sleep(0.02)
    started = time.monotonic()
    stop.set()
    await asyncio.wait_for(loop, 1)
    assert time.monotonic() - started < 0.5


async def test_pause_sleeps_its_time_without_stop() -> None:
    started = time.monotonic()
    await pause(0.05, asyncio.Event())
    assert time.monotonic() - started >= 0.045
