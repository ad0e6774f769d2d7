"""Short-lived access tokens (OAuth2 client credentials), JWTs signed with HMAC-SM3.

PyJWT knows no SM3; it lets an application register an HMAC algorithm over any hash, so the
tokens use ``HSM3`` (HMAC-SM3, GB/T 32905), keeping to national cryptography.
"""

from __future__ import annotations

import functools
import hashlib
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.algorithms import HMACAlgorithm

ALGORITHM = "HSM3"
ISSUER = "tongban"


def _register() -> None:
    try:
        jwt.get_algorithm_by_name(ALGORITHM)
    except NotImplementedError:
        sm3 = functools.partial(hashlib.new, "sm3")
        jwt.register_algorithm(ALGORITHM, HMACAlgorithm(sm3))


_register()


@dataclass(frozen=True)
class Claims:
    client_id: str
    scopes: tuple[str, ...]
    expires_at: int


def looks_like_token(credential: str) -> bool:
    return credential.count(".") == 2 and credential.startswith("eyJ")


def issue(secret: str, client_id: str, scopes: list[str], lifetime: int) -> tuple[str, int]:
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "sub": client_id,
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        "scope": " ".join(scopes),
    }
    return jwt.encode(payload, _key(secret), algorithm=ALGORITHM), lifetime


def verify(secret: str, token: str) -> Claims:
    """Raise ``jwt.InvalidTokenError`` for anything but a valid, current token of ours."""
    payload = jwt.decode(
        token,
        _key(secret),
        algorithms=[ALGORITHM],
        issuer=ISSUER,
        options={"require": ["exp", "iat", "sub", "iss"]},
        leeway=5,
    )
    scope = payload.get("scope", "")
    return Claims(str(payload["sub"]), tuple(str(scope).split()), int(payload["exp"]))


def _key(secret: str) -> bytes:
    # A key of its own for tokens, derived from the server secret.
    return hashlib.new("sm3", b"tongban-token-key:" + secret.encode()).digest()
