"""``Idempotency-Key`` on submissions (IETF httpapi-idempotency-key-header semantics).

- first use of a key: the request runs; its answer is stored with the key in the same
  transaction that stores the case, so "answered 202" and "key remembered" cannot diverge;
- same key, same request: the stored answer is replayed (``Idempotent-Replayed: true``);
- same key, another request: 422; while the first is still running: 409 with Retry-After;
- keys are scoped per client and kept ``idempotency_retention_hours`` (default 24 h);
- a key whose first request died mid-way (in flight for more than ``STALE_AFTER``) is free
  again, since that request stored nothing.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.problems import Problem, invalid_field
from gateway.store.tables import IdempotencyKey

STALE_AFTER = dt.timedelta(seconds=60)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict[str, Any]


def fingerprint(secret_key: str, item: str, body: dict[str, Any]) -> str:
    """Keyed SM3 of the request: equal requests match, and the stored value cannot be used
    to test guesses of the applicant's data (an unkeyed hash of a body whose other fields
    are known gives its ID number away in a hundred guesses)."""
    canonical = orjson.dumps({"item": item, "body": body}, option=orjson.OPT_SORT_KEYS)
    return hmac.new(secret_key.encode(), canonical, "sm3").hexdigest()


def _check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise invalid_field(
            "Idempotency-Key",
            "invalid",
            detail=f"Idempotency-Key must be 1–{MAX_KEY_LENGTH} printable characters",
            kind="value",
        )


async def begin(
    sessions: async_sessionmaker[AsyncSession],
    *,
    client_id: str,
    key: str,
    request_hash: str,
    now: dt.datetime,
    retention: dt.timedelta,
) -> Replay | None:
    """Claim ``key`` for this request, or return the answer to replay, or raise 409/422."""
    _check_key(key)
    for _ in range(3):
        async with sessions.begin() as session:
            found = await session.scalar(
                select(IdempotencyKey).where(
                    IdempotencyKey.client_id == client_id, IdempotencyKey.key == key
                )
            )
            if found is not None and (
                found.expires_at < now
                or (found.state == "in_flight" and found.created_at < now - STALE_AFTER)
            ):
                await session.delete(found)
                await session.flush()
                found = None
            if found is not None:
                return _verdict(found, request_hash)
        try:
            async with sessions.begin() as session:
                session.add(
                    IdempotencyKey(
                        client_id=client_id,
                        key=key,
                        request_hash=request_hash,
                        state="in_flight",
                        created_at=now,
                        expires_at=now + retention,
                    )
                )
            return None
        except IntegrityError:
            continue  # another request claimed it between our read and insert: look again
    raise _in_flight()


def _verdict(found: IdempotencyKey, request_hash: str) -> Replay:
    if found.request_hash != request_hash:
        raise Problem(
            "idempotency-key-reused",
            422,
            "Idempotency-Key reused for another request / 幂等键已用于其他请求",
            "this Idempotency-Key was first used with a different request body",
            errors=[{"field": "Idempotency-Key", "message": "reused", "type": "value"}],
        )
    if found.state != "done" or found.response_body is None or found.response_status is None:
        raise _in_flight()
    return Replay(found.response_status, found.response_body)


def _in_flight() -> Problem:
    return Problem(
        "idempotency-in-flight",
        409,
        "Request with this Idempotency-Key in progress / 相同幂等键的请求处理中",
        "the first request with this Idempotency-Key has not finished; retry shortly",
        headers={"Retry-After": "1"},
    )


async def complete(
    session: AsyncSession,
    *,
    client_id: str,
    key: str,
    status: int,
    body: dict[str, Any],
    case_id: str | None,
) -> None:
    """Store the answer; call inside the transaction that stores the case."""
    found = await session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.client_id == client_id, IdempotencyKey.key == key
        )
    )
    if found is None:  # expired and purged meanwhile: remember it again
        raise _in_flight()
    found.state = "done"
    found.response_status = status
    found.response_body = body
    found.case_id = case_id


async def abandon(sessions: async_sessionmaker[AsyncSession], *, client_id: str, key: str) -> None:
    """The request failed without storing anything: free the key for a retry."""
    async with sessions.begin() as session:
        await session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.client_id == client_id,
                IdempotencyKey.key == key,
                IdempotencyKey.state == "in_flight",
            )
        )


async def purge(session: AsyncSession, now: dt.datetime) -> int:
    result = await session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at < now))
    return int(getattr(result, "rowcount", 0) or 0)
