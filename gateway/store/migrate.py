"""Run alembic migrations from code (``tongban db upgrade``) without an alembic.ini."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from alembic import command
from alembic.config import Config

from gateway.settings import REPO_ROOT


def alembic_config(database_url: str) -> Config:
    config = Config()
    # An installed (non-editable) gateway finds its migrations through the environment.
    location = Path(os.environ.get("TONGBAN_MIGRATIONS_DIR", REPO_ROOT / "migrations"))
    config.set_main_option("script_location", str(location))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    """Alembic's env runs its own event loop: keep it off ours."""
    await asyncio.to_thread(upgrade, database_url, revision)
