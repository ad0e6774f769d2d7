"""Province configurations registered at run time, stored in the database.

Files in ``adapters/provinces/`` are the baseline; a database row for the same code replaces
it. Every process polls the small ``(code, version)`` list and reinstalls what changed, so a
registration through the admin API or the CLI reaches every gateway and worker process
without a restart.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.base import ProvinceConfig
from gateway.privacy import Sealer
from gateway.store.tables import ProvinceRecord
from gateway.store.types import utcnow


def _plain(config: ProvinceConfig) -> dict[str, Any]:
    return config.model_dump(mode="json", exclude={"credentials"})


async def versions(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(ProvinceRecord.code, ProvinceRecord.version))
    return {code: version for code, version in rows.all()}


async def load(
    session: AsyncSession, sealer: Sealer, codes: list[str] | None = None
) -> list[tuple[ProvinceConfig, int]]:
    query = select(ProvinceRecord)
    if codes is not None:
        query = query.where(ProvinceRecord.code.in_(codes))
    found = []
    for record in await session.scalars(query):
        credentials = sealer.open(record.credentials_sealed, bound_to=f"province:{record.code}")
        config = ProvinceConfig.model_validate({**record.config, "credentials": credentials})
        found.append((config, record.version))
    return found


async def save(session: AsyncSession, sealer: Sealer, config: ProvinceConfig, *, actor: str) -> int:
    """Insert or replace a province's configuration; returns its new version."""
    record = await session.get(ProvinceRecord, config.code, with_for_update=True)
    sealed = sealer.seal(config.credentials, bound_to=f"province:{config.code}")
    if record is None:
        record = ProvinceRecord(
            code=config.code,
            config=_plain(config),
            credentials_sealed=sealed,
            key_id=sealer.key_id,
            version=1,
            updated_at=utcnow(),
            updated_by=actor,
        )
        session.add(record)
    else:
        record.config = _plain(config)
        record.credentials_sealed = sealed
        record.key_id = sealer.key_id
        record.version += 1
        record.updated_at = utcnow()
        record.updated_by = actor
    await session.flush()
    return record.version
