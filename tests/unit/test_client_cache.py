"""The client cache: one load per key, refresh ahead, and never an entry past its expiry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from gateway.client_cache import CACHE_SECONDS, MAX_ENTRIES, REFRESH_AHEAD_SECONDS, ClientCache
from gateway.store.tables import Client


class Database:
    """Clients by id, read through sessions that count their reads and can be held."""

    def __init__(self) -> None:
        self.enabled = True
        self.reads = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.down = False

    def client(self, enabled: bool) -> Client:
        return Client(
            id="c1",
            name="app",
            kind="app",
            scopes=["catalogue:read"],
            key_digest="d",
            enabled=enabled,
            signing_required=False,
        )

    async def get(self, model: type[Client], client_id: str) -> Client | None:
        self.reads += 1
        enabled = self.enabled  # as the row is when the read starts
        await self.gate.wait()
        if self.down:
            raise ConnectionError("database away")
        return self.client(enabled) if client_id == "c1" else None

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Any]:
        yield self


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db() -> Database:
    return Database()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(db: Database, clock: Clock) -> ClientCache:
    return ClientCache(db.session, clock=clock)  # type: ignore[arg-type]


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_requests_that_miss_together_wait_for_one_load(
    cache: ClientCache, db: Database
) -> None:
    db.gate.clear()
    waiting = [asyncio.create_task(cache.by_id("c1")) for _ in range(50)]
    await _settle()
    db.gate.set()
    found = await asyncio.gather(*waiting)
    assert db.reads == 1
    assert {p.id if p else None for p in found} == {"c1"}
    assert (await cache.by_id("c1")) is found[0]  # then a hit
    assert db.reads == 1


async def test_an_entry_is_refreshed_ahead_while_it_still_answers(
    cache: ClientCache, db: Database, clock: Clock
) -> None:
    assert await cache.by_id("c1") is not None
    db.enabled = False  # disabled in the database (by another process)
    clock.now += CACHE_SECONDS - REFRESH_AHEAD_SECONDS / 2
    db.gate.clear()
    assert await cache.by_id("c1") is not None  # answered at once from the entry…
    assert await cache.by_id("c1") is not None
    await _settle()
    assert db.reads == 2  # …while one reload runs
    db.gate.set()
    await _settle()
    assert await cache.by_id("c1") is None  # the reload has landed
    assert db.reads == 2


async def test_an_entry_is_never_used_after_it_expires(
    cache: ClientCache, db: Database, clock: Clock
) -> None:
    assert await cache.by_id("c1") is not None
    db.enabled = False
    clock.now += CACHE_SECONDS  # no request came during the refresh window
    assert await cache.by_id("c1") is None
    assert db.reads == 2


async def test_forget_drops_entries_and_what_loads_in_flight_read(
    cache: ClientCache, db: Database
) -> None:
    db.gate.clear()
    stale = asyncio.create_task(cache.by_id("c1"))
    await _settle()
    cache.forget()  # e.g. the client was disabled here while its entry loaded
    db.enabled = False
    db.gate.set()
    assert await stale is not None  # read before the change
    assert await cache.by_id("c1") is None  # not stored: read afresh
    assert db.reads == 2


async def test_a_failed_load_reaches_its_waiters_and_the_next_request_retries(
    cache: ClientCache, db: Database
) -> None:
    db.down = True
    with pytest.raises(ConnectionError):
        await cache.by_id("c1")
    db.down = False
    assert await cache.by_id("c1") is not None
    assert db.reads == 2


async def test_unknown_clients_are_cached_too(cache: ClientCache, db: Database) -> None:
    assert await cache.by_id("nobody") is None
    assert await cache.by_id("nobody") is None
    assert db.reads == 1


async def test_a_key_of_impossible_length_is_refused_without_a_read(
    cache: ClientCache, db: Database
) -> None:
    assert await cache.by_key("secret", "short") is None
    assert db.reads == 0


async def test_a_flood_of_unknown_credentials_does_not_grow_the_cache(
    cache: ClientCache, clock: Clock
) -> None:
    for n in range(MAX_ENTRIES + 50):
        assert await cache.by_id(f"nobody-{n}") is None
    assert len(cache._tables["id"]) <= MAX_ENTRIES
    clock.now += CACHE_SECONDS  # all expired: the next store sweeps them
    for n in range(MAX_ENTRIES):
        await cache.by_id(f"later-{n}")
    assert len(cache._tables["id"]) <= MAX_ENTRIES
    assert await cache.by_id("c1") is not None
