"""Stopping the background loops: between rounds, cancelling only what overruns the grace."""

from __future__ import annotations

import asyncio

from gateway import workers


async def test_finish_waits_for_loops_that_stop_and_cancels_the_overdue() -> None:
    stop = asyncio.Event()
    ended: list[str] = []

    async def polite() -> None:
        await stop.wait()
        await asyncio.sleep(0.02)  # ends its round
        ended.append("polite")

    async def stuck() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            ended.append("stuck cancelled")
            raise

    tasks = [asyncio.create_task(polite()), asyncio.create_task(stuck())]
    await asyncio.wait_for(workers.finish(tasks, stop, grace=0.2), 2)
    assert stop.is_set()
    assert sorted(ended) == ["polite", "stuck cancelled"]
    assert all(task.done() for task in tasks)


async def test_finish_without_loops_only_sets_stop() -> None:
    stop = asyncio.Event()
    await workers.finish([], stop)
    assert stop.is_set()
