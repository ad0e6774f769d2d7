"""Authenticated clients, cached for ``CACHE_SECONDS``: a request costs no database round trip.

An entry is served until it expires, never after, so disabling or rotating a credential takes
effect within ``CACHE_SECONDS`` (at once in the process that did it: ``forget``). Two things
keep a busy gateway from waiting on the database when entries expire:

- **refresh ahead**: in an entry's last ``REFRESH_AHEAD_SECONDS`` the first request to see it
  starts a reload in the background and is answered from the entry, as are those after it;
- **one load per key**: requests that find no fresh entry wait for the one load in flight
  instead of each starting their own.

Before, every request in flight missed together when a busy client's entry expired and each
went to the database: under load, one in 60-100 queries waited 0.2-0.9 s, every 5 s (the
benchmark's p99 at full load).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.security import Principal, authenticate, digest, plausible_key
from gateway.store.tables import Client

log = structlog.get_logger(__name__)

CACHE_SECONDS = 5.0
REFRESH_AHEAD_SECONDS = 1.0
MAX_ENTRIES = 10_000  # per table; unknown credentials are cached too, so a flood must not grow it

Load = Callable[[AsyncSession], Awaitable[Client | None]]
Entry = tuple[float, Principal | None]  # (expires, the client; None: no such enabled client)


class ClientCache:
    """Principals by credential digest and by client id. Takes the session factory, not a
    session: a hit (nearly every request) opens none."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self._tables: dict[str, dict[str, Entry]] = {"digest": {}, "id": {}}
        self._loading: dict[tuple[str, str], asyncio.Task[Principal | None]] = {}
        self._generation = 0

    async def by_key(self, secret_key: str, api_key: str) -> Principal | None:
        if not plausible_key(api_key):  # neither digested nor cached
            return None
        return await self._cached(
            "digest",
            digest(secret_key, api_key),
            lambda session: authenticate(session, secret_key=secret_key, api_key=api_key),
        )

    async def by_id(self, client_id: str) -> Principal | None:
        return await self._cached("id", client_id, lambda session: session.get(Client, client_id))

    def forget(self) -> None:
        """Drop every entry, and let no load already in flight store what it read."""
        self._generation += 1
        for table in self._tables.values():
            table.clear()
        self._loading.clear()

    async def _cached(self, kind: str, key: str, load: Load) -> Principal | None:
        now = self.clock()
        entry = self._tables[kind].get(key)
        if entry is not None and now < entry[0]:
            if now >= entry[0] - REFRESH_AHEAD_SECONDS:
                self._load(kind, key, load)  # in the background; this entry answers
            return entry[1]
        # Shielded: a waiter that goes away (client disconnected) leaves the load to the rest.
        return await asyncio.shield(self._load(kind, key, load))

    def _load(self, kind: str, key: str, load: Load) -> asyncio.Task[Principal | None]:
        """The load in flight for ``key``, started if there is none."""
        flight = self._loading.get((kind, key))
        if flight is None:
            flight = asyncio.create_task(self._read(kind, key, load))
            self._loading[(kind, key)] = flight
            flight.add_done_callback(_log_failure)
        return flight

    async def _read(self, kind: str, key: str, load: Load) -> Principal | None:
        generation = self._generation
        try:
            async with self.sessions() as session:
                client = await load(session)
                found = Principal.of(client) if client is not None and client.enabled else None
            if generation == self._generation:
                self._store(self._tables[kind], key, (self.clock() + CACHE_SECONDS, found))
            return found
        finally:
            if generation == self._generation:
                self._loading.pop((kind, key), None)

    def _store(self, table: dict[str, Entry], key: str, entry: Entry) -> None:
        if len(table) >= MAX_ENTRIES:
            now = self.clock()
            for stale in [k for k, (expires, _) in table.items() if expires <= now]:
                del table[stale]
            if len(table) >= MAX_ENTRIES:  # a flood of distinct credentials: start afresh
                table.clear()
        table[key] = entry


def _log_failure(task: asyncio.Task[Principal | None]) -> None:
    # Waiters get the error themselves; a background refresh has none, so it is said here.
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("client_cache_load_failed", error=type(error).__name__)
