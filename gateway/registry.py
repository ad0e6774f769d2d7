"""Adapter families (entry points) and provinces (configuration), swappable at run time.

Families are code, discovered through the ``tongban.adapters`` entry-point group: a family
that fails to import is logged and skipped; two claiming one name is a start-up error.
Provinces are configuration: TOML files in ``provinces_dir``. A province is served only when
its family is installed and its configuration is enabled (installed ≠ enabled).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import httpx
import structlog

from adapters.base import AdapterFamily, ProvinceConfig
from adapters.errors import ConfigurationError
from gateway.resilience import Guards, Policy, ResilientAdapter, State, guarded

log = structlog.get_logger(__name__)

ENTRY_POINT_GROUP = "tongban.adapters"


def discover_families(group: str = ENTRY_POINT_GROUP) -> dict[str, AdapterFamily]:
    families: dict[str, AdapterFamily] = {}
    for ep in entry_points(group=group):
        try:
            family: AdapterFamily = ep.load()
        except Exception as exc:  # a broken plug-in must not take the gateway down
            log.error("adapter_family_import_failed", entry_point=ep.name, error=repr(exc))
            continue
        if family.name in families:
            raise ConfigurationError(
                f"two adapter families claim the name {family.name!r}", province="-"
            )
        families[family.name] = family
    return families


def load_province_files(directory: Path) -> list[ProvinceConfig]:
    configs = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
        configs.append(ProvinceConfig.model_validate(raw))
    return configs


@dataclass
class Health:
    healthy: bool = True
    checked_at: dt.datetime | None = None
    error: str | None = None


@dataclass
class Registry:
    """The live set of province adapters. Replacing a province swaps one dict entry."""

    families: Mapping[str, AdapterFamily]
    http: httpx.AsyncClient
    policy: Policy = field(default_factory=Policy)
    """Breaker, bulkhead and retry settings; every bound adapter is wrapped in them."""
    _configs: dict[str, ProvinceConfig] = field(default_factory=dict)
    _adapters: dict[str, ResilientAdapter] = field(default_factory=dict)
    health: dict[str, Health] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    """Database version of each province registered at run time (absent: from a file)."""
    pool_cap: int = 0
    """The shared HTTP pool's connection cap (``TONGBAN_HTTP_MAX_CONNECTIONS``; 0: none)."""
    guards: Guards = field(init=False)

    def __post_init__(self) -> None:
        self.guards = Guards(self.policy, on_change=self._breaker_changed)

    def _breaker_changed(self, province: str, state: State, reason: str) -> None:
        # An open breaker marks the province unhealthy (/v1/provinces, /readyz) until a
        # probe succeeds; the active health check's pings go through the breaker too.
        if state is State.open:
            self.health[province] = Health(
                False, dt.datetime.now(dt.UTC), f"circuit open: {reason}"
            )
        elif state is State.closed:
            self.health[province] = Health(True, dt.datetime.now(dt.UTC), None)

    def validate(self, config: ProvinceConfig) -> None:
        """Raise ConfigurationError unless ``config`` can be installed."""
        family = self.families.get(config.family)
        if family is None:
            raise ConfigurationError(
                f"adapter family {config.family!r} is not installed", province=config.code
            )
        missing = [key for key in family.required_credentials if key not in config.credentials]
        if missing:
            raise ConfigurationError(
                f"missing credentials: {', '.join(missing)}", province=config.code
            )

    def install(self, config: ProvinceConfig, *, version: int | None = None) -> None:
        """Validate and (re)bind one province; raises ConfigurationError when it cannot work.

        Rebinding swaps one dict entry: calls in flight finish on the adapter they started
        with, new calls get the new one.
        """
        self.validate(config)
        previous = self._configs.get(config.code)
        fresh = previous is None or previous.base_url != config.base_url
        self._adapters[config.code] = guarded(
            self.families[config.family].bind(config, self.http),
            self.guards.get(config.code, fresh=fresh),
        )
        self._configs[config.code] = config
        if version is not None:
            self.versions[config.code] = version
        if previous is None or previous.base_url != config.base_url:
            self.health[config.code] = Health()
        if previous is None:
            self._check_pool()

    def _check_pool(self) -> None:
        """Warn when the provinces' bulkheads together first exceed the shared pool's cap,
        at start-up or when a province is registered later: hanging provinces can then hold
        every connection, and healthy ones wait for one until those time out."""
        cap, bulkhead, count = self.pool_cap, self.policy.max_concurrency, len(self._configs)
        if cap and (count - 1) * bulkhead <= cap < count * bulkhead:
            log.warning(
                "http_pool_below_bulkheads",
                max_connections=cap,
                provinces=count,
                province_max_concurrency=bulkhead,
                hint="set TONGBAN_HTTP_MAX_CONNECTIONS=0 (no cap) or at least provinces × bulkhead",
            )

    def install_all(self, configs: Iterable[ProvinceConfig]) -> None:
        for config in configs:
            self.install(config)

    def configs(self) -> list[ProvinceConfig]:
        return [self._configs[code] for code in sorted(self._configs)]

    def config(self, province: str) -> ProvinceConfig | None:
        return self._configs.get(province)

    def adapter(self, province: str) -> ResilientAdapter | None:
        """The adapter for an enabled province, else None."""
        config = self._configs.get(province)
        if config is None or not config.enabled:
            return None
        return self._adapters.get(province)

    def serving(self, item: str) -> list[str]:
        """Enabled provinces whose configuration binds ``item``."""
        return [c.code for c in self.configs() if c.enabled and item in c.items]


def with_base_urls(
    configs: Iterable[ProvinceConfig], overrides: Mapping[str, str]
) -> list[ProvinceConfig]:
    return [
        c.model_copy(update={"base_url": overrides[c.code].rstrip("/")})
        if c.code in overrides
        else c
        for c in configs
    ]
