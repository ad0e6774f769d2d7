"""The audit trail: every access to personal data and every admin action, hash-chained (SM3).

Recording never costs the request a database transaction: records go to an in-process
buffer, and one flush a fraction of a second later writes the whole batch in one
transaction — under a lock on the chain's head row, so processes sharing a database extend
one chain, in order. ``verify`` recomputes it: a modified, deleted or reordered record
breaks it. Records older than the retention (≥ 180 days) can be purged; the head keeps the
hash of the last purged record as the chain's anchor.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
from dataclasses import dataclass, field

import orjson
import structlog
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.store.many_rows import insert_rows
from gateway.store.tables import AuditHead, AuditRecord, table_of
from gateway.store.types import utcnow

log = structlog.get_logger(__name__)

GENESIS = "0" * 64
_RECORDS = table_of(AuditRecord)
HEAD_ID = 1


@dataclass(frozen=True)
class Entry:
    actor: str
    actor_kind: str
    action: str
    result: str = "ok"
    item: str | None = None
    case_id: str | None = None
    target: str | None = None
    terminal: str | None = None
    at: dt.datetime = field(default_factory=utcnow)


# Copied for each record: ``hashlib.new("sm3")`` looks the algorithm up in OpenSSL by name
# on every call, half of the hash's cost.
_SM3 = hashlib.new("sm3")


def chain_hash(prev_hash: str, seq: int, entry: Entry) -> str:
    # vars(), not asdict(): every field is a str, None or datetime, and asdict deep-copies.
    at = entry.at if entry.at.tzinfo is dt.UTC else entry.at.astimezone(dt.UTC)
    document = {"seq": seq, **vars(entry), "at": at.isoformat()}
    digest = _SM3.copy()
    digest.update(prev_hash.encode() + orjson.dumps(document, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


def _entry(record: AuditRecord) -> Entry:
    return Entry(
        actor=record.actor,
        actor_kind=record.actor_kind,
        action=record.action,
        result=record.result,
        item=record.item,
        case_id=record.case_id,
        target=record.target,
        terminal=record.terminal,
        at=record.at,
    )


class Auditor:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        postgres: bool,
        flush_seconds: float = 0.2,
        batch: int = 500,
    ) -> None:
        self.sessions = sessions
        self.postgres = postgres
        self.flush_seconds = flush_seconds
        self.batch = batch
        self._buffer: list[Entry] = []
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False

    def record(self, entry: Entry) -> None:
        self._buffer.append(entry)
        if len(self._buffer) >= self.batch:
            self._wake.set()

    def stop(self) -> None:
        """Ask ``run_forever`` to write what is buffered and return. Cancelling it instead
        could interrupt a write half-way: on SQLite that leaves the write lock held by a
        connection nobody finishes, and the last flush then fails after the busy timeout,
        losing the buffered records (found in the benchmark's shutdown, 30 s and ~1,900
        records)."""
        self._stopping = True
        self._wake.set()

    async def run_forever(self) -> None:
        try:
            while not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.flush_seconds)
                self._wake.clear()
                try:
                    await self.flush()
                except Exception:  # the database may be away: keep the buffer, retry
                    log.exception("audit_flush_failed", buffered=len(self._buffer))
        finally:
            try:
                await self.flush()
            except Exception:
                log.exception("audit_final_flush_failed", unwritten=len(self._buffer))
                raise

    async def flush(self) -> int:
        async with self._lock:
            if not self._buffer:
                return 0
            pending, self._buffer = self._buffer, []
            try:
                await self._write(pending)
            except BaseException:
                self._buffer[:0] = pending  # nothing written: try again, in order
                raise
            return len(pending)

    async def _write(self, entries: list[Entry]) -> None:
        async with self.sessions.begin() as session:
            head = await _head(session, lock=self.postgres)
            seq, prev = head.last_seq, head.last_hash
            rows = []
            for entry in entries:
                seq += 1
                digest = chain_hash(prev, seq, entry)
                rows.append({"seq": seq, "prev_hash": prev, "hash": digest, **vars(entry)})
                prev = digest
            # Into the table itself: no ORM unit of work, nor the ORM's bulk insert path (a
            # Python pass per row), for rows nobody reads back (a flush of 100 records held the
            # event loop for ~1.2 ms at most, then ~0.85 ms); on SQLite in multi-row
            # statements, not one GIL hand-off per row (store.many_rows).
            await insert_rows(session, _RECORDS, rows)
            head.last_seq, head.last_hash = seq, prev


async def _head(session: AsyncSession, *, lock: bool) -> AuditHead:
    query = select(AuditHead).where(AuditHead.id == HEAD_ID)
    if lock:
        query = query.with_for_update()
    head = await session.scalar(query)
    if head is None:
        head = AuditHead(
            id=HEAD_ID, last_seq=0, last_hash=GENESIS, anchor_seq=0, anchor_hash=GENESIS
        )
        session.add(head)
        await session.flush()
    return head


@dataclass(frozen=True)
class Verification:
    ok: bool
    records: int
    first_bad_seq: int | None
    reason: str | None


async def verify(session: AsyncSession, *, chunk: int = 5000) -> Verification:
    head = await session.scalar(select(AuditHead).where(AuditHead.id == HEAD_ID))
    if head is None:
        count = await session.scalar(select(func.count()).select_from(AuditRecord))
        return Verification(not count, 0, None, None if not count else "records without head")
    expected_seq, prev, checked = head.anchor_seq, head.anchor_hash, 0
    while True:
        rows = list(
            await session.scalars(
                select(AuditRecord)
                .where(AuditRecord.seq > expected_seq)
                .order_by(AuditRecord.seq)
                .limit(chunk)
            )
        )
        if not rows:
            break
        for record in rows:
            expected_seq += 1
            if record.seq != expected_seq:
                return Verification(False, checked, expected_seq, "a record is missing")
            if (
                record.prev_hash != prev
                or chain_hash(prev, record.seq, _entry(record)) != record.hash
            ):
                return Verification(False, checked, record.seq, "a record was modified or moved")
            prev = record.hash
            checked += 1
    if expected_seq != head.last_seq or prev != head.last_hash:
        return Verification(
            False,
            checked,
            expected_seq + 1,
            "the chain ends before its head (records removed at the end)",
        )
    return Verification(True, checked, None, None)


async def purge(session: AsyncSession, before: dt.datetime) -> int:
    """Drop records older than ``before``, moving the anchor to the last one dropped."""
    head = await _head(session, lock=True)
    last = await session.scalar(
        select(AuditRecord).where(AuditRecord.at < before).order_by(AuditRecord.seq.desc()).limit(1)
    )
    if last is None:
        return 0
    result = await session.execute(delete(AuditRecord).where(AuditRecord.seq <= last.seq))
    head.anchor_seq, head.anchor_hash = last.seq, last.hash
    return int(getattr(result, "rowcount", 0) or 0)
