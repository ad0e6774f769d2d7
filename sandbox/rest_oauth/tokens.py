"""OAuth2 client-credentials tokens, bound to the province that issued them."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass


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
