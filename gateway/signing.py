"""Signed requests (required for counter terminals; per-client policy otherwise).

Headers: ``X-Tongban-Key-Id`` (the client id), ``X-Tongban-Timestamp`` (Unix seconds),
``X-Tongban-Nonce`` (16–64 characters ``[A-Za-z0-9_-]``), ``X-Tongban-Signature`` (lower-case
hex HMAC-SM3 with the client's signing secret) over the canonical string::

    METHOD \\n path \\n sorted query (k=v&…, percent-encoded) \\n hex SM3(body)
    \\n timestamp \\n nonce \\n key id

The timestamp must be within ``WINDOW_SECONDS`` of the gateway's clock; each nonce is usable
once — the database's primary key enforces it across every gateway process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Generator, Mapping
from urllib.parse import parse_qsl, quote

import httpx
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.problems import Problem
from gateway.store.tables import Nonce

WINDOW_SECONDS = 300
_NONCE = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
HEADERS = ("x-tongban-key-id", "x-tongban-timestamp", "x-tongban-nonce", "x-tongban-signature")


def canonical(
    method: str, path: str, query: str, body: bytes, timestamp: str, nonce: str, key_id: str
) -> bytes:
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    canonical_query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    return "\n".join(
        [
            method.upper(),
            path,
            canonical_query,
            hashlib.new("sm3", body).hexdigest(),
            timestamp,
            nonce,
            key_id,
        ]
    ).encode()


def signature(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, "sm3").hexdigest()


def _problem(slug: str, title: str, detail: str) -> Problem:
    return Problem(
        slug, 401, title, detail, headers={"WWW-Authenticate": 'Tongban-HMAC-SM3 realm="tongban"'}
    )


def check(
    headers: Mapping[str, str],
    *,
    client_id: str,
    secret: str,
    method: str,
    path: str,
    query: str,
    body: bytes,
    now: float,
) -> tuple[str, int]:
    """Verify everything but the nonce's freshness; returns (nonce, timestamp)."""
    missing = [h for h in HEADERS if not headers.get(h)]
    if missing:
        raise _problem(
            "signature-missing",
            "Signature required / 需要请求签名",
            f"this client must sign its requests; missing {', '.join(missing)}",
        )
    key_id, stamp, nonce = (
        headers["x-tongban-key-id"],
        headers["x-tongban-timestamp"],
        headers["x-tongban-nonce"],
    )
    if key_id != client_id:
        raise _problem(
            "signature-invalid",
            "Bad signature / 签名无效",
            "X-Tongban-Key-Id does not match the credential",
        )
    # ASCII digits only, and no longer than a timestamp: str.isdigit() also takes "²" and
    # other Unicode digits int() refuses, and 5,000 nines overflow the comparison.
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12) or (
        abs(now - int(stamp)) > WINDOW_SECONDS
    ):
        raise _problem(
            "signature-stale",
            "Stale timestamp / 时间戳超出有效期",
            f"X-Tongban-Timestamp must be within {WINDOW_SECONDS} s of now",
        )
    if not _NONCE.fullmatch(nonce):
        raise _problem(
            "signature-invalid",
            "Bad signature / 签名无效",
            "X-Tongban-Nonce must be 16–64 characters [A-Za-z0-9_-]",
        )
    expected = signature(secret, canonical(method, path, query, body, stamp, nonce, key_id))
    if not hmac.compare_digest(expected, headers["x-tongban-signature"].lower()):
        raise _problem(
            "signature-invalid",
            "Bad signature / 签名无效",
            "the signature does not match the request",
        )
    return nonce, int(stamp)


async def spend_nonce(
    sessions: async_sessionmaker[AsyncSession], client_id: str, nonce: str, timestamp: int
) -> None:
    """Record the nonce; a second use, from any process, is a replay."""
    expires = dt.datetime.fromtimestamp(timestamp + 2 * WINDOW_SECONDS, dt.UTC)
    try:
        async with sessions.begin() as session:
            session.add(Nonce(client_id=client_id, nonce=nonce, expires_at=expires))
    except IntegrityError:
        raise _problem(
            "signature-replayed", "Replayed request / 重放请求", "this nonce was already used"
        ) from None


class HttpxSigner(httpx.Auth):
    """Client side: ``httpx.AsyncClient(auth=HttpxSigner(api_key, client_id, secret))``."""

    requires_request_body = True

    def __init__(self, api_key: str, client_id: str, secret: str) -> None:
        self.api_key, self.client_id, self.secret = api_key, client_id, secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        stamp, nonce = str(int(time.time())), secrets.token_urlsafe(18)
        message = canonical(
            request.method,
            request.url.path,
            request.url.query.decode(),
            request.content,
            stamp,
            nonce,
            self.client_id,
        )
        request.headers.update(
            {
                "Authorization": f"Bearer {self.api_key}",
                "X-Tongban-Key-Id": self.client_id,
                "X-Tongban-Timestamp": stamp,
                "X-Tongban-Nonce": nonce,
                "X-Tongban-Signature": signature(self.secret, message),
            }
        )
        yield request
