"""Client credentials: API keys shown once, stored only as keyed SM3 digests."""

from __future__ import annotations

import hmac
import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.tables import Client

KEY_PREFIX = "tbk_"
CLIENT_KINDS = ("app", "mini-program", "counter", "admin")


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest(secret_key: str, api_key: str) -> str:
    """Keyed SM3 (HMAC-SM3): a leaked table gives no usable key and no offline guessing."""
    return hmac.new(secret_key.encode(), api_key.encode(), "sm3").hexdigest()


async def create_client(
    session: AsyncSession,
    *,
    secret_key: str,
    name: str,
    kind: str = "app",
    api_key: str | None = None,
    scopes: list[str] | None = None,
) -> tuple[Client, str]:
    """Register a client; returns it with the plain key, which is never stored."""
    if kind not in CLIENT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(CLIENT_KINDS)}")
    if api_key is not None and not 8 <= len(api_key) <= 200:
        raise ValueError("an API key has 8 to 200 characters")
    key = api_key or new_api_key()
    key_digest = digest(secret_key, key)
    existing = await session.scalar(select(Client).where(Client.key_digest == key_digest))
    if existing is not None:
        return existing, key
    client = Client(
        id=str(uuid.uuid4()),
        name=name,
        kind=kind,
        key_digest=key_digest,
        scopes=scopes or ["*"],
    )
    session.add(client)
    await session.flush()
    return client, key


async def authenticate(session: AsyncSession, *, secret_key: str, api_key: str) -> Client | None:
    if not 8 <= len(api_key) <= 200:
        return None
    client = await session.scalar(
        select(Client).where(Client.key_digest == digest(secret_key, api_key))
    )
    if client is None or not client.enabled:
        return None
    return client
