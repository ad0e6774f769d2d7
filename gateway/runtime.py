"""Everything a running gateway holds, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gateway.catalogue import Catalogue
from gateway.privacy import Sealer
from gateway.registry import Registry
from gateway.settings import Settings
from gateway.transitions import CaseApplier


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    http: httpx.AsyncClient
    registry: Registry
    catalogue: Catalogue
    sealer: Sealer
    secret_key: str
    applier: CaseApplier
