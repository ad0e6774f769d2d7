"""Checking a province's signed callback: signature, freshness, sender; then the document.

Pure (the clock is passed in), so the client only wires in its secret and code.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from typing import Any

from adapters.errors import UpstreamAuthFailed, UpstreamProtocolError
from adapters.form_sm3.sign import hmac_sm3

MAX_SKEW_SECONDS = 300  # the spec's window, both ways: a late replay or a clock far ahead


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac_sm3(secret, f"{timestamp}\n".encode() + body)


def authenticate(
    headers: Mapping[str, str], body: bytes, *, secret: str, province: str, now: float
) -> None:
    """Raise ``UpstreamAuthFailed`` unless the callback is signed, fresh and ours."""
    # Header names are case-insensitive on the wire; a plain dict may spell them any way.
    lowered = {name.lower(): value for name, value in headers.items()}
    timestamp = lowered.get("x-timestamp", "")
    given = lowered.get("x-signature", "")
    if not timestamp or not given:
        raise UpstreamAuthFailed("callback without X-Timestamp or X-Signature", province=province)
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise UpstreamAuthFailed(
            "callback X-Timestamp is not unix seconds", province=province
        ) from None
    expected = signature(secret, timestamp, body)
    # Bytes, not str: compare_digest refuses non-ASCII str, and headers may carry anything.
    if not hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
        raise UpstreamAuthFailed("callback signature does not match", province=province)
    if abs(now - sent_at) > MAX_SKEW_SECONDS:
        raise UpstreamAuthFailed("callback timestamp outside the window", province=province)
    if lowered.get("x-province") != province:
        raise UpstreamAuthFailed("callback is from another province", province=province)


def document(body: bytes, *, province: str) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except ValueError as exc:  # includes UnicodeDecodeError
        raise UpstreamProtocolError("callback body is not JSON", province=province) from exc
    if not isinstance(doc, dict):
        raise UpstreamProtocolError("callback body is not an object", province=province)
    return doc
