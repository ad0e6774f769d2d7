"""Migrations: one head; upgrade → downgrade → upgrade on a fresh database; match the models."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from gateway.store.db import make_engine
from gateway.store.migrate import alembic_config, downgrade, upgrade_async
from gateway.store.tables import Base


def test_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            names: set[str] = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    return names - {"alembic_version"}


async def _diff(url: str) -> list[Any]:
    def compare(sync: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(sync), Base.metadata))

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(compare)
    finally:
        await engine.dispose()


async def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    await upgrade_async(database_url)
    assert await _tables(database_url) == set(Base.metadata.tables)
    await asyncio.to_thread(downgrade, database_url, "base")
    assert await _tables(database_url) == set()
    await upgrade_async(database_url)
    assert await _tables(database_url) == set(Base.metadata.tables)
    assert await _diff(database_url) == []
