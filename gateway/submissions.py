"""Opening a case: route, check coverage, store case + legs + outbox in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel

from gateway import cases, routing
from gateway.coverage import check_coverage
from gateway.privacy import Sealer, masked_person
from gateway.registry import Registry
from gateway.store.db import AsyncSession
from gateway.store.tables import Case, Event, Leg
from gateway.transitions import SUBMIT, enqueue
from schemas._model import ServiceItem
from schemas._status import CaseStatus


def _person_block(data: dict[str, Any]) -> dict[str, Any]:
    for key in ("applicant", "person"):
        block = data.get(key)
        if isinstance(block, dict):
            return block
    return {}


async def open_case(
    session: AsyncSession,
    *,
    item: ServiceItem,
    mode: str,
    request: BaseModel,
    client_id: str,
    channel: str,
    registry: Registry,
    sealer: Sealer,
    now: dt.datetime,
) -> Case:
    targets = routing.targets(item, request)
    check_coverage(item, targets, registry)
    data = request.model_dump(mode="json", exclude_none=True)
    case_id = str(uuid.uuid4())
    case = Case(
        id=case_id,
        client_id=client_id,
        item=item.code,
        mode=mode,
        channel=channel,
        status=CaseStatus.submitted.value,
        applicant_masked=masked_person(_person_block(data)),
        payload_sealed=sealer.seal(data, bound_to=case_id),
        key_id=sealer.key_id,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    first_step = min(t.step for t in targets)
    session.add(
        Event(
            case_id=case_id,
            at=now,
            kind="case_status",
            status=CaseStatus.submitted.value,
            source="client",
            note=f"mode={mode} channel={channel}",
        )
    )
    await session.flush()
    for position, target in enumerate(targets):
        leg = Leg(
            id=str(uuid.uuid4()),
            case_id=case_id,
            role=target.role,
            province=target.province,
            position=position,
            step=target.step,
            pivot=target.pivot,
            serial=f"TB{case_id.replace('-', '')}{position:02d}",
            status=CaseStatus.submitted.value if target.step == first_step else cases.PENDING,
            updated_at=now,
        )
        session.add(leg)
        if target.step == first_step:
            enqueue(session, leg, SUBMIT, now)
    return case
