"""The adapter contract: what a protocol family implements, and what it is given.

A *family* is code: one folder in ``adapters/`` that knows a protocol (transport, envelope,
auth, status codes). A *province* is configuration: a ``ProvinceConfig`` naming the family,
the base URL, credentials, vocabulary overrides, code tables and item bindings. Adapters are
pure translators plus one I/O boundary (an ``httpx.AsyncClient`` they are handed); they never
see FastAPI, the database or the case state machine.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol, runtime_checkable

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from adapters.errors import ConfigurationError, ItemNotServed
from adapters.vocabulary import WireAnswer
from schemas._provinces import PROVINCES
from schemas._status import CaseStatus


class ItemBinding(BaseModel):
    """How one province names and serves one gateway item."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    local_code: str = Field(min_length=1, description="The province's own item code (事项编码)")


class ProvinceConfig(BaseModel):
    """A province on a family: everything province-specific, as data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^\d{2}0000$")
    family: str
    base_url: str
    enabled: bool = True
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    credentials: dict[str, str] = Field(default_factory=dict)
    outbound: dict[str, str] = Field(
        default_factory=dict, description="Vocabulary overrides: canonical key → wire key"
    )
    inbound: dict[str, str] = Field(
        default_factory=dict, description="Vocabulary overrides: wire key → canonical key"
    )
    code_tables: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Per canonical field: canonical value → wire value"
    )
    items: dict[str, ItemBinding] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("code")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in PROVINCES:
            raise ValueError(f"{value} is not a mainland provincial-level code")
        return value

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http(s) URL")
        return value.rstrip("/")

    @property
    def name_zh(self) -> str:
        return PROVINCES[self.code].zh

    @property
    def name_en(self) -> str:
        return PROVINCES[self.code].en

    def secret(self, key: str) -> str:
        """A credential; ``env:NAME`` values are read from the environment at use."""
        value = self.credentials.get(key)
        if value is None:
            raise ConfigurationError(f"credential {key!r} is not configured", province=self.code)
        if value.startswith("env:"):
            resolved = os.environ.get(value[4:])
            if resolved is None:
                raise ConfigurationError(
                    f"credential {key!r}: environment variable {value[4:]} is not set",
                    province=self.code,
                )
            return resolved
        return value


class SubmitRequest(BaseModel):
    """One leg of a case, ready to be handed to a province."""

    model_config = ConfigDict(frozen=True)

    item: str
    serial: str = Field(description="Idempotency key: the same serial never opens two cases")
    data: dict[str, Any] = Field(description="The item's request, canonical JSON")
    related_reference: str | None = None


class LegState(BaseModel):
    """What a province says about one case, translated to canonical terms."""

    model_config = ConfigDict(frozen=True)

    reference: str
    status: CaseStatus
    provincial_code: str
    description: str = ""
    reason: str | None = None
    result: dict[str, Any] | None = None
    updated_at: dt.datetime | None = None


@runtime_checkable
class ProvinceAdapter(Protocol):
    """A family bound to one province's configuration and an HTTP client."""

    config: ProvinceConfig

    async def submit(self, request: SubmitRequest) -> LegState: ...

    async def status(self, item: str, reference: str) -> LegState: ...

    async def supplement(self, item: str, reference: str, data: dict[str, Any]) -> LegState: ...

    async def withdraw(self, item: str, reference: str) -> LegState: ...

    async def query(self, item: str, conditions: dict[str, Any]) -> dict[str, Any]: ...

    async def ping(self) -> None: ...


@runtime_checkable
class WireQuerying(Protocol):
    """Implemented by adapters that can hand over a query's answer in the province's own
    terms (every built-in family; ``query`` is then ``query_wire``'s answer, canonical).
    The gateway validates and translates such an answer in one pass (``gateway.wire_json``);
    an adapter without it is asked ``query`` and its canonical answer validated."""

    async def query_wire(self, item: str, conditions: dict[str, Any]) -> WireAnswer: ...


WireQuery = Callable[[str, dict[str, Any]], Awaitable[WireAnswer]]


def wire_query(adapter: ProvinceAdapter) -> WireQuery:
    """``adapter.query_wire``; for an adapter without it, its ``query``, whose canonical
    answer comes as a ``WireAnswer`` without a vocabulary."""
    if isinstance(adapter, WireQuerying):
        return adapter.query_wire

    async def canonical(item: str, conditions: dict[str, Any]) -> WireAnswer:
        return WireAnswer(await adapter.query(item, conditions))

    return canonical


@runtime_checkable
class CallbackReceiver(Protocol):
    """Implemented by adapters of families that report results by calling the gateway back.

    The gateway serves ``POST /v1/callbacks/{province}`` without client credentials: the
    province's own signature is the authentication, checked here.
    """

    async def subscribe(self, callback_url: str) -> None:
        """Tell the province where to send status changes (idempotent)."""
        ...

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> LegState:
        """Check the signature and freshness, translate the body; raise
        ``UpstreamAuthFailed`` for a bad or stale signature, ``UpstreamProtocolError`` for a
        malformed body."""
        ...


class AdapterFamily(Protocol):
    """What an entry point in the ``tongban.adapters`` group resolves to."""

    name: str
    description: str
    required_credentials: tuple[str, ...]
    status_codes: Mapping[str, CaseStatus]

    def bind(self, config: ProvinceConfig, http: httpx.AsyncClient) -> ProvinceAdapter: ...


def binding(config: ProvinceConfig, item: str) -> ItemBinding:
    """The province's binding for ``item``, or ``ItemNotServed``."""
    found = config.items.get(item)
    if found is None:
        raise ItemNotServed(f"item {item} is not served", province=config.code)
    return found
