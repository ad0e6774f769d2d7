"""The event-loop lag histogram records how long the loop was held (gateway/looplag.py)."""

from __future__ import annotations

import asyncio
import time

from gateway import looplag, metrics


def _lag() -> tuple[float, float, float]:
    """(count, sum, count of samples above 50 ms) so far."""
    (family,) = metrics.LOOP_LAG.collect()
    samples = {s.name + str(s.labels.get("le", "")): s.value for s in family.samples}
    count = samples["tongban_event_loop_lag_seconds_count"]
    return (
        count,
        samples["tongban_event_loop_lag_seconds_sum"],
        count - samples["tongban_event_loop_lag_seconds_bucket0.05"],
    )


async def test_a_blocked_loop_shows_as_lag() -> None:
    count, total, slow = _lag()
    watcher = asyncio.create_task(looplag.watch(interval=0.01))
    try:
        await asyncio.sleep(0.05)  # a few quiet wake-ups
        time.sleep(0.08)  # noqa: ASYNC251 - the point: a callback holding the loop
        await asyncio.sleep(0.05)
    finally:
        watcher.cancel()
    new_count, new_total, new_slow = _lag()
    assert new_count - count >= 3
    assert new_total - total >= 0.07
    assert new_slow - slow == 1  # exactly the one held wake-up lagged past 50 ms
