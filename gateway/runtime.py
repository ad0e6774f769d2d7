"""Everything a running gateway holds, built once in the app's lifespan."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gateway.audit import Auditor, Entry
from gateway.catalogue import Catalogue
from gateway.client_cache import ClientCache
from gateway.privacy import Sealer
from gateway.quotas import Quotas
from gateway.registry import Registry
from gateway.security import Principal
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
    quotas: Quotas
    auditor: Auditor
    clients: ClientCache
    admission: asyncio.Semaphore  # queries in flight (Settings.query_max_in_flight)

    def audit(
        self,
        who: Principal,
        action: str,
        *,
        result: str = "ok",
        item: str | None = None,
        case_id: str | None = None,
        target: str | None = None,
    ) -> None:
        """Record an access to personal data or an admin action (batched, hash-chained)."""
        self.auditor.record(
            Entry(
                actor=who.id,
                actor_kind=who.kind,
                action=action,
                result=result,
                item=item,
                case_id=case_id,
                target=target,
                terminal=who.terminal,
            )
        )
