"""Event-loop lag: how late a timer fires.

Everything a process serves shares one event loop, so the time a timer fires late is the
time every request in that moment waited behind whatever held the loop: a long callback, a
garbage collection, a burst of answers, too little CPU. Exported as the histogram
``tongban_event_loop_lag_seconds`` (gateway/metrics.py); its tail is what a latency p99
that the work itself does not explain is made of.
"""

from __future__ import annotations

import asyncio

from gateway import metrics

INTERVAL_SECONDS = 0.1


async def watch(interval: float = INTERVAL_SECONDS) -> None:
    """Sleep ``interval`` forever, recording each wake-up's delay."""
    loop = asyncio.get_running_loop()
    while True:
        due = loop.time() + interval
        await asyncio.sleep(interval)
        metrics.LOOP_LAG.observe(max(0.0, loop.time() - due))
