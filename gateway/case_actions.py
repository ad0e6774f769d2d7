"""What clients may do to a case after submitting it: cancel, correct (补正), report delivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ValidationError

from gateway import cases, routing
from gateway.errors import field_errors
from gateway.privacy import Sealer, masked_person, person_block, primary_identifier
from gateway.problems import Problem, invalid, invalid_field
from gateway.transitions import SUPPLEMENT, WITHDRAW, CaseApplier, enqueue, event
from schemas._model import ServiceItem
from schemas._status import TERMINAL, CaseStatus


def _conflict(detail: str) -> Problem:
    return Problem(
        "case-conflict", 409, "Not possible in the case's state / 办件当前状态不允许", detail
    )


async def cancel(
    applier: CaseApplier, case_id: str, item: ServiceItem, reason: str | None, now: dt.datetime
) -> CaseStatus:
    """Withdraw a case: every leg still open at a province is withdrawn, pending legs dropped."""
    if not item.cancellable:
        raise _conflict(f"{item.code} cannot be withdrawn once submitted")
    async with applier.locked(case_id) as (session, case, legs):
        status = CaseStatus(case.status)
        if status in TERMINAL:
            raise _conflict(f"the case is already {status.value}")
        views = [cases.LegView(x.status, x.step, x.pivot) for x in legs]
        if cases.pivot_passed(views):
            raise _conflict(
                "a province has already acted irreversibly (the pivot has passed); "
                "the case can only complete"
            )
        case.status = CaseStatus.cancelled.value
        event(
            session,
            case,
            "case_status",
            now,
            status=CaseStatus.cancelled.value,
            source="client",
            note=reason,
        )
        await applier.status_changed(session, case, status, now)
        await applier.advance(session, case, legs, now)  # queues withdrawals, drops pending legs
        return CaseStatus.cancelled


async def correct(
    applier: CaseApplier,
    sealer: Sealer,
    case_id: str,
    item: ServiceItem,
    changes: dict[str, Any],
    note: str | None,
    now: dt.datetime,
) -> int:
    """Supply a correction (补正) to every leg that asked for one; returns how many."""
    async with applier.locked(case_id) as (session, case, legs):
        asking = [leg for leg in legs if leg.status == CaseStatus.correction_requested]
        if not asking:
            raise _conflict("no province has asked for a correction")
        if not changes:
            raise invalid_field("changes", "a correction changes at least one field")
        original = sealer.open(case.payload_sealed, bound_to=case.id)
        merged = _merge(original, changes)
        try:
            request: BaseModel = item.request_model.model_validate(merged)
            before: BaseModel = item.request_model.model_validate(original)
        except ValidationError as exc:
            raise invalid(
                field_errors(
                    {**e, "loc": ("changes", *e["loc"])} for e in exc.errors(include_input=False)
                ),
                "the corrected application does not match the item's schema",
            ) from exc
        data = request.model_dump(mode="json", exclude_none=True)
        _keeps_identity_and_routing(item, before, request, original, data)
        case.payload_sealed = sealer.seal(data, bound_to=case.id)
        case.applicant_masked = masked_person(person_block(data))  # a corrected name
        # The provinces get the corrected fields as validated (normalised), never as sent.
        corrected = {key: data[key] for key in changes if key in data}
        for leg in asking:
            # The outbox row carries the corrected fields, sealed like the case itself.
            enqueue(session, leg, SUPPLEMENT, now, sealer.seal(corrected, bound_to=case.id))
        event(
            session,
            case,
            "correction_supplied",
            now,
            source="client",
            note=(note or "")[:200] or f"{len(changes)} fields",
        )
        return len(asking)


def _keeps_identity_and_routing(
    item: ServiceItem,
    before: BaseModel,
    after: BaseModel,
    original: dict[str, Any],
    corrected: dict[str, Any],
) -> None:
    """A correction fixes an application; it cannot make it another person's, or send it to
    other provinces: the case's legs, lookup digest and masked applicant derive from those."""
    if primary_identifier(original) != primary_identifier(corrected):
        raise invalid_field(
            "changes",
            "the applicant's ID number or credit code cannot be corrected: withdraw and apply "
            "again / 申请人证件号码或统一社会信用代码不可补正",
        )
    for role in item.roles:
        if routing.resolve(before, role.field) != routing.resolve(after, role.field):
            raise invalid_field(
                f"changes.{role.field}",
                "the provinces a case goes to cannot be corrected / 办理省份不可补正",
            )


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


async def record_delivery(
    applier: CaseApplier,
    case_id: str,
    *,
    step: str,
    carrier: str | None,
    tracking_number: str | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """A counter reports the paper result posted or handed over; delivery completes the case."""
    async with applier.locked(case_id) as (session, case, _legs):
        delivery = dict(case.delivery or {})
        if not delivery:
            raise _conflict("this case's result is delivered online")
        if case.status != CaseStatus.approved.value:
            raise _conflict(f"the result is not ready (case is {case.status})")
        if step == "dispatched":
            delivery.update(
                status="dispatched",
                carrier=carrier,
                tracking_number=tracking_number,
                dispatched_at=now.isoformat(),
            )
            event(
                session,
                case,
                "result_dispatched",
                now,
                source="counter",
                note=f"{carrier or ''} {tracking_number or ''}".strip() or None,
            )
        else:
            delivery.update(status="delivered", delivered_at=now.isoformat())
            event(session, case, "result_delivered", now, source="counter")
            case.status = CaseStatus.completed.value
            event(session, case, "case_status", now, status=CaseStatus.completed.value)
            await applier.status_changed(session, case, CaseStatus.approved, now)
        case.delivery = delivery
        case.updated_at = now
        return delivery


__all__ = ["WITHDRAW", "cancel", "correct", "record_delivery"]
