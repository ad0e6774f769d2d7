"""Everything one family server keeps: its provinces, settings, cases and data."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.data import ContributionData
from sandbox.engine import CaseEngine, Progression
from sandbox.lifecycle import Status
from sandbox.provinces import Catalog, Province
from sandbox.settings import ConfigStore, Settings


@dataclass
class SandboxState:
    family: str
    catalog: Catalog
    provinces: dict[str, Province]
    config: ConfigStore
    engine: CaseEngine
    contributions: ContributionData
    status_code: Callable[[Status], str]  # the family's wire code for a canonical status
    clock: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.Random)
    reset_hooks: list[Callable[[], None]] = field(default_factory=list)

    def province(self, code: str) -> Province | None:
        return self.provinces.get(code)

    def settings(self, province: str | None = None) -> Settings:
        return self.config.effective(province)

    def reset(self) -> None:
        """Cases, tokens and settings back to how the server started."""
        self.config.reset()
        self.engine.reset()
        for hook in self.reset_hooks:
            hook()


def build_state(
    family: str,
    catalog: Catalog,
    *,
    step_seconds: float,
    status_code: Callable[[Status], str],
    clock: Callable[[], float] = time.time,
    progression: Progression = "time",
) -> SandboxState:
    provinces = catalog.hosted_by(family)
    d = catalog.defaults
    base = Settings(
        step_seconds=step_seconds,
        outcomes=dict(d.outcomes),
        latency_ms=d.latency_ms,
        error_rate=d.error_rate,
        hang=d.hang,
        token_ttl_seconds=d.token_ttl_seconds,
        correction_wait_steps=d.correction_wait_steps,
        slow_drip=d.slow_drip,
        malformed_rate=d.malformed_rate,
        wrong_encoding_rate=d.wrong_encoding_rate,
        down=d.down,
        callbacks_enabled=d.callbacks_enabled,
    )
    province_defaults: dict[str, dict[str, Any]] = {}
    for code, province in provinces.items():
        ttl = province.auth.get("token_ttl_seconds")
        province_defaults[code] = {"token_ttl_seconds": int(ttl)} if ttl is not None else {}
    config = ConfigStore(base, province_defaults)
    contributions = ContributionData(catalog.anchor_month, clock)
    engine = CaseEngine(provinces, config.effective, contributions, clock, progression)
    return SandboxState(
        family=family,
        catalog=catalog,
        provinces=provinces,
        config=config,
        engine=engine,
        contributions=contributions,
        status_code=status_code,
        clock=clock,
    )
