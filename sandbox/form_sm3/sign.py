"""Request signatures of the open platform: canonical string, HMAC-SM3, nonces.

Canonical string: every form field except `sign`, sorted by name in byte order, joined as
`name=value` with `&`, values raw (as decoded from the form), encoded as UTF-8.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping

from sandbox.sm3 import hmac_sm3_hex, same_hex

SIGN_METHOD = "HMAC-SM3"
NONCE = re.compile(r"[A-Za-z0-9]{16,64}")
NONCE_SECONDS = 600.0


def canonical_string(fields: Mapping[str, str]) -> bytes:
    names = sorted((n for n in fields if n != "sign"), key=lambda n: n.encode("utf-8"))
    return "&".join(f"{name}={fields[name]}" for name in names).encode("utf-8")


def sign(fields: Mapping[str, str], secret: str) -> str:
    return hmac_sm3_hex(secret, canonical_string(fields))


def verify(fields: Mapping[str, str], secret: str) -> bool:
    return same_hex(fields.get("sign", ""), sign(fields, secret))


class NonceStore:
    """Nonces seen in the last 600 s, per (province, appKey)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._seen: dict[tuple[str, str, str], float] = {}

    def remember(self, province: str, app_key: str, nonce: str) -> bool:
        """Records the nonce; False if it was seen within the window (a replay)."""
        now = self._clock()
        while self._seen:  # oldest first: insertion order is expiry order
            oldest = next(iter(self._seen))
            if self._seen[oldest] > now:
                break
            del self._seen[oldest]
        key = (province, app_key, nonce)
        expires = self._seen.get(key)
        if expires is not None and expires > now:
            return False
        self._seen[key] = now + NONCE_SECONDS
        return True

    def clear(self) -> None:
        self._seen.clear()
