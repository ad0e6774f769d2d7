"""Opening a case: route, check coverage and materials, store case + legs + outbox at once."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from pydantic import BaseModel

from gateway import cases, routing, workdays
from gateway.coverage import check_coverage
from gateway.privacy import (
    Sealer,
    lookup_digest,
    masked_person,
    person_block,
    primary_identifier,
)
from gateway.problems import invalid
from gateway.registry import Registry
from gateway.store.db import AsyncSession
from gateway.store.tables import Case, Event, Leg
from gateway.transitions import SUBMIT, enqueue
from schemas._counter import CounterReceipt, DeliveryMethod
from schemas._model import ServiceItem, TimeLimits, TrustLevel
from schemas._status import CaseStatus

_TRUST_ORDER = {TrustLevel.A: 0, TrustLevel.B: 1, TrustLevel.C: 2, TrustLevel.D: 3}


@dataclass(frozen=True)
class Deadlines:
    statutory: dt.date | None
    promised: dt.date | None
    note: str | None


def deadlines(limits: TimeLimits, start: dt.date) -> Deadlines:
    """Due dates in working days from ``start``; past the calendar's data: None and a note."""
    notes: list[str] = []

    def due(days: int | None) -> dt.date | None:
        if days is None:
            return None
        try:
            return workdays.add_working_days(start, days)
        except workdays.CalendarExhausted as exc:  # never a guess: say why it is missing
            notes.append(str(exc))
            return None

    statutory, promised = due(limits.statutory_days), due(limits.promised_days)
    return Deadlines(statutory, promised, f"pending: {notes[0]}"[:200] if notes else None)


def check_materials(item: ServiceItem, counter: CounterReceipt) -> None:
    """A counter may only forward what the item needs, at the trust the item demands."""
    errors: list[dict[str, str]] = []
    if not counter.identity_check.passed:
        errors.append(
            {
                "field": "counter.identity_check.passed",
                "message": "identity check must pass before receiving / 身份核验未通过",
                "type": "value_error",
            }
        )
    received: dict[str, int] = {}
    known = {m.code: m for m in item.materials}
    for i, material in enumerate(counter.materials):
        code = material.code
        if code in received:  # each entry is checked: a second one must not hide the first
            errors.append(
                {
                    "field": f"counter.materials.{i}.code",
                    "message": f"material {code!r} is listed twice / 材料重复",
                    "type": "value_error",
                }
            )
            continue
        received[code] = i
        spec = known.get(code)
        if spec is None:
            errors.append(
                {
                    "field": f"counter.materials.{i}.code",
                    "message": f"{item.code} needs no material {code!r}",
                    "type": "value_error",
                }
            )
            continue
        if _TRUST_ORDER[material.trust_level] > _TRUST_ORDER[spec.min_trust]:
            errors.append(
                {
                    "field": f"counter.materials.{i}.trust_level",
                    "message": f"{code} needs trust level {spec.min_trust} or stronger",
                    "type": "value_error",
                }
            )
        if material.trust_level in (TrustLevel.C, TrustLevel.D) and not material.original_checked:
            errors.append(
                {
                    "field": f"counter.materials.{i}.original_checked",
                    "message": "an uploaded or declared licence needs the original checked",
                    "type": "value_error",
                }
            )
    for spec in item.materials:
        if spec.required and spec.code not in received:
            errors.append(
                {
                    "field": "counter.materials",
                    "message": f"required material {spec.code!r} ({spec.name_zh}) missing",
                    "type": "missing",
                }
            )
    if errors:
        raise invalid(errors, item=item.code)


async def open_case(
    session: AsyncSession,
    *,
    item: ServiceItem,
    mode: str,
    request: BaseModel,
    counter: CounterReceipt | None,
    client_id: str,
    channel: str,
    registry: Registry,
    sealer: Sealer,
    secret_key: str,
    now: dt.datetime,
) -> Case:
    targets = routing.targets(item, request)
    check_coverage(item, targets, registry)
    if counter is not None:
        check_materials(item, counter)
    data = request.model_dump(mode="json", exclude_none=True)
    identifier = primary_identifier(data)
    due = deadlines(item.time_limits, workdays.beijing_today(now))
    case_id = str(uuid.uuid4())
    delivery = None
    if counter is not None and counter.result_delivery.method is not DeliveryMethod.online:
        delivery = {"method": counter.result_delivery.method.value, "status": "not-ready"}
    case = Case(
        id=case_id,
        client_id=client_id,
        item=item.code,
        mode=mode,
        channel=channel,
        status=CaseStatus.submitted.value,
        applicant_masked=masked_person(person_block(data)),
        applicant_digest=lookup_digest(secret_key, identifier) if identifier else None,
        payload_sealed=sealer.seal(data, bound_to=case_id),
        key_id=sealer.key_id,
        counter=counter.model_dump(mode="json", exclude={"result_delivery"}) if counter else None,
        delivery=delivery,
        statutory_due=due.statutory,
        promised_due=due.promised,
        deadline_note=due.note,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
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
    if counter is not None:
        session.add(
            Event(
                case_id=case_id,
                at=now,
                kind="received_at_counter",
                source="counter",
                province=counter.receiving_province,
                note=f"{counter.service_point} / staff {counter.staff_id}; "
                f"identity {counter.identity_check.method}; "
                f"{len(counter.materials)} materials; forwarded to the competent authority",
            )
        )
    await session.flush()
    first_step = min(t.step for t in targets)
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
