"""SM3 and HMAC-SM3 (GB/T 32905), through `cryptography`, as lower-case hex."""

from __future__ import annotations

import hmac as std_hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(key: str, message: bytes) -> str:
    """Lower-case hex HMAC-SM3 keyed with the UTF-8 bytes of `key`."""
    mac = crypto_hmac.HMAC(key.encode("utf-8"), hashes.SM3())
    mac.update(message)
    return mac.finalize().hex()


def same_hex(given: str, expected: str) -> bool:
    """Constant-time comparison of a presented hex digest (any case) with ours."""
    return std_hmac.compare_digest(
        given.strip().lower().encode("utf-8", "replace"), expected.encode("ascii")
    )
