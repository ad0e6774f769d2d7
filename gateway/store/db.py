"""Engine and session factory; SQLite gets WAL and foreign keys.

Statements' parameters are never put in error messages (``hide_parameters``): they hold case
results and personal data, and a failed statement's message ends up in a log's traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

from gateway.privacy import Sealer
from gateway.store import sealed


def make_engine(url: str, sealer: Sealer | None = None) -> AsyncEngine:
    """The engine; with ``sealer``, it can write and read the sealed columns
    (``store.sealed``): every engine that touches cases needs it."""
    engine = _engine(url)
    if sealer is not None:
        sealed.attach(engine, sealer)
    return engine


def _engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_async_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, hide_parameters=True
    )


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
