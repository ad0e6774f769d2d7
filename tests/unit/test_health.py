"""Active health checks (gateway/health.py): pings spread over time, outcomes recorded."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import cast

from adapters.errors import UpstreamUnavailable
from gateway.health import check_all
from gateway.registry import Health, Registry


@dataclass
class _Config:
    code: str
    enabled: bool = True


@dataclass
class _Adapter:
    code: str
    started: dict[str, float]
    fail: bool = False

    async def ping(self) -> None:
        self.started[self.code] = time.monotonic()
        if self.fail:
            raise UpstreamUnavailable("HTTP 500", province=self.code)


@dataclass
class _Registry:
    adapters: dict[str, _Adapter]
    health: dict[str, Health] = field(default_factory=dict)

    def configs(self) -> list[_Config]:
        return [_Config(code) for code in self.adapters]

    def adapter(self, code: str) -> _Adapter | None:
        return self.adapters.get(code)


def _registry(codes: list[str], failing: str | None = None) -> tuple[_Registry, dict[str, float]]:
    started: dict[str, float] = {}
    adapters = {code: _Adapter(code, started, fail=code == failing) for code in codes}
    return _Registry(adapters), started


CODES = ["110000", "310000", "440000", "510000"]


async def test_spread_pings_start_evenly() -> None:
    registry, started = _registry(CODES, failing="510000")
    began = time.monotonic()
    await check_all(cast(Registry, registry), spread_seconds=0.4)
    offsets = sorted(t - began for t in started.values())
    assert len(offsets) == 4
    gaps = [b - a for a, b in itertools.pairwise(offsets)]
    assert all(gap >= 0.08 for gap in gaps), gaps  # 0.1 s apart, not a burst
    assert registry.health["440000"].healthy
    assert not registry.health["510000"].healthy


async def test_without_spread_pings_go_at_once() -> None:
    registry, started = _registry(CODES)
    await check_all(cast(Registry, registry))
    assert max(started.values()) - min(started.values()) < 0.05
    assert all(h.healthy for h in registry.health.values())


async def test_cancelled_round_leaves_no_pings_running() -> None:
    registry, started = _registry(CODES)
    round_ = asyncio.create_task(check_all(cast(Registry, registry), spread_seconds=10))
    await asyncio.sleep(0.05)
    round_.cancel()
    await asyncio.gather(round_, return_exceptions=True)
    assert len(started) == 1  # the first ping went; the round stopped there
