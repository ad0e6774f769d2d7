"""OAuth2 client-credentials tokens, bound to the province that issued them."""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote_plus


@dataclass(frozen=True)
class _Grant:
    province: str
    expires_at: float


class TokenStore:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._grants: dict[str, _Grant] = {}

    def issue(self, province: str, ttl_seconds: int) -> str:
        now = self._clock()
        self._grants = {t: g for t, g in self._grants.items() if g.expires_at > now}
        token = secrets.token_urlsafe(32)
        self._grants[token] = _Grant(province, now + ttl_seconds)
        return token

    def valid(self, province: str, token: str) -> bool:
        grant = self._grants.get(token)
        return grant is not None and grant.province == province and grant.expires_at > self._clock()

    def clear(self) -> None:
        self._grants.clear()


def client_credentials(
    authorization: str | None, form: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """(client_id, client_secret) from HTTP Basic (preferred) or the form body."""
    if authorization:
        scheme, _, encoded = authorization.partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None, None
            client_id, sep, secret = decoded.partition(":")
            if not sep:
                return None, None
            return unquote_plus(client_id), unquote_plus(secret)
    return form.get("client_id"), form.get("client_secret")


def same(given: str | None, expected: object) -> bool:
    """Constant-time comparison of a presented credential with the configured one."""
    if given is None or not isinstance(expected, str):
        return False
    return hmac.compare_digest(given.encode(), expected.encode())
