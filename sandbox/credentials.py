"""Client credentials as provinces read them: HTTP Basic or form fields, compared in constant
time. Shared by `rest_oauth` (token endpoint) and `batch_callback` (every call)."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from urllib.parse import unquote_plus


def basic_credentials(authorization: str | None) -> tuple[str | None, str | None]:
    """(client_id, client_secret) from an `Authorization: Basic …` header, else (None, None)."""
    if not authorization:
        return None, None
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None, None
    return unquote_plus(client_id), unquote_plus(secret)


def client_credentials(
    authorization: str | None, form: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """(client_id, client_secret) from HTTP Basic (preferred) or the form body."""
    if authorization and authorization.partition(" ")[0].lower() == "basic":
        return basic_credentials(authorization)
    return form.get("client_id"), form.get("client_secret")


def same(given: str | None, expected: object) -> bool:
    """Constant-time comparison of a presented credential with the configured one."""
    if given is None or not isinstance(expected, str):
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def known_client(clients: object, client_id: str | None, secret: str | None) -> bool:
    """Whether (client_id, secret) is one of `clients` ({client_id: secret})."""
    if not isinstance(clients, Mapping) or client_id is None:
        return False
    return same(secret, clients.get(client_id))
