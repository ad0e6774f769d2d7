"""Runtime settings of a sandbox server, changeable through the control API.

Effective settings for a province = defaults (provinces.toml and the server's step) ->
the province's own defaults -> server-wide changes -> changes scoped to that province.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sandbox.lifecycle import Outcome


@dataclass(frozen=True)
class Settings:
    step_seconds: float
    outcomes: Mapping[str, float]
    latency_ms: int
    error_rate: float
    hang: bool
    token_ttl_seconds: int
    correction_wait_steps: int
    slow_drip: int = 0  # bytes per second; 0: off
    malformed_rate: float = 0.0
    wrong_encoding_rate: float = 0.0
    down: bool = False
    callbacks_enabled: bool = True  # batch_callback: send callbacks on status changes

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["outcomes"] = dict(self.outcomes)
        return data


class OutcomeWeights(BaseModel):
    """Replaces the whole weight table: outcomes not named weigh 0."""

    model_config = ConfigDict(extra="forbid")

    approved: float = Field(default=0.0, ge=0)
    correction: float = Field(default=0.0, ge=0)
    rejected: float = Field(default=0.0, ge=0)
    not_accepted: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _some_weight(self) -> OutcomeWeights:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one outcome needs a positive weight")
        return self


class ConfigUpdate(BaseModel):
    """Body of `PUT /_sandbox/config`; every field optional."""

    model_config = ConfigDict(extra="forbid")

    province: str | None = Field(default=None, description="Scope the change to one province")
    step_seconds: float | None = Field(default=None, ge=0, le=86_400)
    outcomes: OutcomeWeights | None = None
    latency_ms: int | None = Field(default=None, ge=0, le=120_000)
    error_rate: float | None = Field(default=None, ge=0, le=1)
    hang: bool | None = None
    token_ttl_seconds: int | None = Field(default=None, ge=0, le=7 * 86_400)
    correction_wait_steps: int | None = Field(default=None, ge=0, le=1_000)
    slow_drip: int | None = Field(
        default=None, ge=0, le=10_000_000, description="Answer at this many bytes/s (0: off)"
    )
    malformed_rate: float | None = Field(default=None, ge=0, le=1)
    wrong_encoding_rate: float | None = Field(default=None, ge=0, le=1)
    down: bool | None = None
    callbacks_enabled: bool | None = None

    def changes(self) -> dict[str, Any]:
        data = self.model_dump(exclude_none=True, exclude={"province"})
        if self.outcomes is not None:
            data["outcomes"] = {o.value: getattr(self.outcomes, o.value) for o in Outcome}
        return data


class ConfigStore:
    def __init__(self, base: Settings, province_defaults: Mapping[str, Mapping[str, Any]]) -> None:
        self._base = base
        self._province_defaults = {code: dict(d) for code, d in province_defaults.items()}
        self._server: dict[str, Any] = {}
        self._provinces: dict[str, dict[str, Any]] = {}

    @property
    def provinces(self) -> list[str]:
        return sorted(self._province_defaults)

    def effective(self, province: str | None = None) -> Settings:
        layers: list[Mapping[str, Any]] = []
        if province is not None:
            layers.append(self._province_defaults.get(province, {}))
        layers.append(self._server)
        if province is not None:
            layers.append(self._provinces.get(province, {}))
        merged: dict[str, Any] = {}
        for layer in layers:
            merged.update(layer)
        return dataclasses.replace(self._base, **merged)

    def update(self, change: ConfigUpdate) -> Settings:
        """Apply a change; answers the effective settings of its scope."""
        if change.province is None:
            self._server.update(change.changes())
        else:
            if change.province not in self._province_defaults:
                raise KeyError(change.province)
            self._provinces.setdefault(change.province, {}).update(change.changes())
        return self.effective(change.province)

    def reset(self) -> None:
        self._server.clear()
        self._provinces.clear()

    def describe(self) -> dict[str, Any]:
        """Server-wide settings plus each province's effective ones."""
        return {
            **self.effective().as_dict(),
            "provinces": {code: self.effective(code).as_dict() for code in self.provinces},
        }
