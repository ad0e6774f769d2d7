"""The family's request signature: HMAC-SM3 over the sorted, unencoded form fields.

``hmac_sm3`` is also the callback signature of ``adapters.batch_callback``, which imports it
from here rather than keeping a second copy.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping

SIGN_METHOD = "HMAC-SM3"


def hmac_sm3(secret: str, message: bytes) -> str:
    """Lower-case hex HMAC-SM3 of ``message`` keyed with the UTF-8 bytes of ``secret``."""
    return hmac.new(secret.encode(), message, "sm3").hexdigest()


def canonical_string(fields: Mapping[str, str]) -> bytes:
    """Every field but ``sign``, sorted by name in byte order, ``name=value`` joined by ``&``.

    Values stay raw (not URL-encoded): the province signs what it decoded from the form.
    """
    names = sorted((name for name in fields if name != "sign"), key=str.encode)
    return "&".join(f"{name}={fields[name]}" for name in names).encode()


def new_nonce() -> str:
    # 32 hex characters: inside the spec's 16–64 [A-Za-z0-9], and never guessable.
    return secrets.token_hex(16)


def signed_form(
    *, app_key: str, secret: str, method: str, biz_content: str, timestamp_ms: int, nonce: str
) -> dict[str, str]:
    fields = {
        "appKey": app_key,
        "method": method,
        "timestamp": str(timestamp_ms),
        "nonce": nonce,
        "signMethod": SIGN_METHOD,
        "bizContent": biz_content,
    }
    fields["sign"] = hmac_sm3(secret, canonical_string(fields))
    return fields
