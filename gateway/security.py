"""Clients and their credentials.

API keys are shown once and stored only as keyed SM3 digests (a leaked table gives no usable
key and no offline guessing). Counter terminals are bound to a province and service point
and sign their requests (``gateway.signing``) with a secret stored sealed (SM4-GCM).
Authenticated clients are cached for a few seconds (``gateway.client_cache``).
"""

from __future__ import annotations

import functools
import hmac
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway import scopes as scope_rules
from gateway.privacy import Sealer
from gateway.store.tables import Client
from gateway.store.types import utcnow
from schemas._provinces import PROVINCES

KEY_PREFIX = "tbk_"
CLIENT_KINDS = ("app", "mini-program", "counter", "admin")


@dataclass(frozen=True)
class Principal:
    """An authenticated client, as request handling sees it."""

    id: str
    name: str
    kind: str
    scopes: tuple[str, ...]
    province: str | None
    service_point: str | None
    signing_required: bool
    signing_secret_sealed: bytes | None
    rate_per_minute: int | None

    @classmethod
    def of(cls, client: Client) -> Principal:
        return cls(
            client.id,
            client.name,
            client.kind,
            tuple(client.scopes),
            client.province,
            client.service_point,
            client.signing_required,
            client.signing_secret_sealed,
            client.rate_per_minute,
        )

    def with_scopes(self, granted: tuple[str, ...]) -> Principal:
        return Principal(
            self.id,
            self.name,
            self.kind,
            granted,
            self.province,
            self.service_point,
            self.signing_required,
            self.signing_secret_sealed,
            self.rate_per_minute,
        )

    @property
    def terminal(self) -> str | None:
        return f"{self.province}/{self.service_point}" if self.kind == "counter" else None


@dataclass(frozen=True)
class Issued:
    client: Client
    api_key: str
    signing_secret: str | None


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest(secret_key: str, api_key: str) -> str:
    """HMAC-SM3 of the API key under the gateway's secret key, as stored for the client."""
    mac = _keyed(secret_key).copy()
    mac.update(api_key.encode())
    return mac.hexdigest()


@functools.lru_cache(maxsize=4)
def _keyed(secret_key: str) -> hmac.HMAC:
    # Keyed once and copied per request: ``hmac.new(…, "sm3")`` looks SM3 up in OpenSSL by
    # name and hashes the key on every call (~7.6 against ~5.2 µs).
    return hmac.new(secret_key.encode(), digestmod="sm3")


def _check(
    kind: str, scopes: list[str] | None, province: str | None, service_point: str | None
) -> None:
    if kind not in CLIENT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(CLIENT_KINDS)}")
    if kind == "counter" and (province not in PROVINCES or not service_point):
        raise ValueError("a counter terminal is bound to a province code and a service point")
    bad = [s for s in scopes or [] if not scope_rules.valid(s)]
    if bad:
        raise ValueError(f"invalid scopes: {', '.join(bad)}")


async def create_client(
    session: AsyncSession,
    *,
    secret_key: str,
    name: str,
    kind: str = "app",
    api_key: str | None = None,
    scopes: list[str] | None = None,
    province: str | None = None,
    service_point: str | None = None,
    signing_required: bool | None = None,
    rate_per_minute: int | None = None,
    sealer: Sealer | None = None,
) -> tuple[Client, str]:
    """Register a client; returns it with the plain key, which is never stored."""
    issued = await register(
        session,
        secret_key=secret_key,
        name=name,
        kind=kind,
        api_key=api_key,
        scopes=scopes,
        province=province,
        service_point=service_point,
        signing_required=signing_required,
        rate_per_minute=rate_per_minute,
        sealer=sealer,
    )
    return issued.client, issued.api_key


async def register(
    session: AsyncSession,
    *,
    secret_key: str,
    name: str,
    kind: str = "app",
    api_key: str | None = None,
    scopes: list[str] | None = None,
    province: str | None = None,
    service_point: str | None = None,
    signing_required: bool | None = None,
    rate_per_minute: int | None = None,
    sealer: Sealer | None = None,
) -> Issued:
    _check(kind, scopes, province, service_point)
    if api_key is not None and not plausible_key(api_key):
        raise ValueError("an API key has 8 to 200 characters")
    key = api_key or new_api_key()
    key_digest = digest(secret_key, key)
    existing = await session.scalar(select(Client).where(Client.key_digest == key_digest))
    if existing is not None:
        return Issued(existing, key, None)
    sign = kind == "counter" if signing_required is None else signing_required
    signing_secret = secrets.token_urlsafe(32) if sign else None
    if sign and sealer is None:
        raise ValueError("a signing client needs the sealer to store its secret")
    client_id = str(uuid.uuid4())
    client = Client(
        id=client_id,
        name=name,
        kind=kind,
        key_digest=key_digest,
        scopes=list(scopes or scope_rules.DEFAULTS[kind]),
        province=province,
        service_point=service_point,
        signing_required=sign,
        signing_secret_sealed=(
            sealer.seal(signing_secret, bound_to=f"client:{client_id}")
            if sealer and signing_secret
            else None
        ),
        key_id=sealer.key_id if sealer else None,
        rate_per_minute=rate_per_minute,
    )
    session.add(client)
    await session.flush()
    return Issued(client, key, signing_secret)


async def rotate(
    session: AsyncSession, *, secret_key: str, client_id: str, sealer: Sealer
) -> Issued:
    """A new API key (and signing secret, if the client signs); the old ones stop working."""
    client = await session.get(Client, client_id)
    if client is None:
        raise LookupError(client_id)
    key = new_api_key()
    client.key_digest = digest(secret_key, key)
    signing_secret = None
    if client.signing_required:
        signing_secret = secrets.token_urlsafe(32)
        client.signing_secret_sealed = sealer.seal(signing_secret, bound_to=f"client:{client.id}")
        client.key_id = sealer.key_id
    client.rotated_at = utcnow()
    await session.flush()
    return Issued(client, key, signing_secret)


async def set_enabled(session: AsyncSession, client_id: str, enabled: bool) -> Client:
    client = await session.get(Client, client_id)
    if client is None:
        raise LookupError(client_id)
    client.enabled = enabled
    await session.flush()
    return client


def plausible_key(api_key: str) -> bool:
    """Whether ``api_key`` has the length of an API key (8 to 200 characters)."""
    return 8 <= len(api_key) <= 200


async def authenticate(session: AsyncSession, *, secret_key: str, api_key: str) -> Client | None:
    """Uncached lookup (CLI, token endpoint, and ``client_cache.ClientCache`` on a miss)."""
    if not plausible_key(api_key):
        return None
    client = await session.scalar(
        select(Client).where(Client.key_digest == digest(secret_key, api_key))
    )
    return client if client is not None and client.enabled else None
