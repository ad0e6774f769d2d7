"""Following and acting on a case (办件): status, legs, timeline, deadlines, result."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from gateway import case_actions, workdays
from gateway.api.deps import ClientDep, RuntimeDep, SessionDep
from gateway.api.operations import ALL_RESPONSES, AUTH_RESPONSES, ERROR_RESPONSES
from gateway.api.views import CaseSummary, CaseView, Clock, EventView, LegView
from gateway.problems import Problem, not_found
from gateway.security import Principal
from gateway.store.db import AsyncSession
from gateway.store.tables import Case, Event, Leg
from gateway.store.types import utcnow
from schemas._common import Strict
from schemas._provinces import PROVINCES
from schemas._status import TERMINAL, CaseStatus

router = APIRouter(
    prefix="/v1/applications",
    tags=["applications"],
    responses={**AUTH_RESPONSES, 404: ALL_RESPONSES[404]},
)

WARNING_WORKING_DAYS = 2
_OPEN = [s.value for s in CaseStatus if s not in TERMINAL]


def clock(due: dt.date | None, done: bool, today: dt.date) -> Clock:
    """on-time / warning (≤ 2 working days left) / overdue, or unknown without a due date."""
    if due is None:
        return Clock(due=None, state="unknown", working_days_left=None)
    if done:
        return Clock(due=due, state="closed", working_days_left=None)
    try:
        left = workdays.working_days_between(today, due)
    except workdays.CalendarExhausted:
        return Clock(
            due=due, state="on-time" if due >= today else "overdue", working_days_left=None
        )
    state = "overdue" if due < today else "warning" if left <= WARNING_WORKING_DAYS else "on-time"
    return Clock(due=due, state=state, working_days_left=left)


async def _own_case(session: AsyncSession, case_id: str, client: Principal) -> Case:
    case = await session.get(Case, case_id)
    # Another client's case is indistinguishable from no case at all.
    if case is None or case.client_id != client.id:
        raise not_found("Application", f"no application {case_id!r} for this client")
    return case


def _summary(case: Case, today: dt.date) -> dict[str, Any]:
    done = case.status in {s.value for s in TERMINAL}
    return dict(
        id=case.id,
        item=case.item,
        mode=case.mode,
        channel=case.channel,
        status=case.status,
        applicant=case.applicant_masked,
        created_at=case.created_at,
        updated_at=case.updated_at,
        statutory=clock(case.statutory_due, done, today),
        promised=clock(case.promised_due, done, today),
        deadline_note=case.deadline_note,
    )


class CaseList(BaseModel):
    items: list[CaseSummary]
    total: int
    page: int
    limit: int


@router.get("", operation_id="list_applications", summary="This client's cases / 办件列表")
async def list_applications(
    runtime: RuntimeDep,
    session: SessionDep,
    client: ClientDep,
    status: CaseStatus | None = None,
    item: Annotated[str | None, Query(max_length=80)] = None,
    overdue: Annotated[bool, Query(description="Only open cases past the promised limit")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> CaseList:
    today = workdays.beijing_today()
    query = select(Case).where(Case.client_id == client.id)
    if status is not None:
        query = query.where(Case.status == status.value)
    if item is not None:
        query = query.where(Case.item == item)
    if overdue:
        query = query.where(Case.promised_due < today, Case.status.in_(_OPEN))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    runtime.audit(client, "list_cases", target=f"page={page}")
    rows = await session.scalars(
        query.order_by(Case.created_at.desc(), Case.id).offset((page - 1) * limit).limit(limit)
    )
    return CaseList(
        items=[CaseSummary(**_summary(c, today)) for c in rows],
        total=int(total or 0),
        page=page,
        limit=limit,
    )


@router.get(
    "/{case_id}",
    operation_id="get_application",
    summary="A case's status, legs, events and deadlines / 办件详情",
)
async def get_application(
    case_id: str, runtime: RuntimeDep, session: SessionDep, client: ClientDep
) -> CaseView:
    case = await _own_case(session, case_id, client)
    runtime.audit(client, "read_case", item=case.item, case_id=case.id)
    today = workdays.beijing_today()
    legs = await session.scalars(select(Leg).where(Leg.case_id == case.id).order_by(Leg.position))
    events = await session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id))
    return CaseView(
        **_summary(case, today),
        result=case.result,
        counter=case.counter,
        delivery=case.delivery,
        legs=[
            LegView(
                role=leg.role,
                province=leg.province,
                province_name=PROVINCES[leg.province].zh,
                step=leg.step,
                pivot=leg.pivot,
                status=leg.status,
                reference=leg.reference,
                provincial_status=leg.provincial_code,
                provincial_description=leg.provincial_description,
                reason=leg.reason,
                submitted_at=leg.submitted_at,
                updated_at=leg.updated_at,
                promised=clock(
                    leg.promised_due,
                    leg.status in {s.value for s in TERMINAL}
                    or leg.status == CaseStatus.approved.value,
                    today,
                ),
            )
            for leg in legs
        ],
        events=[
            EventView(
                at=e.at,
                kind=e.kind,
                status=e.status,
                source=e.source,
                province=e.province,
                provincial_code=e.provincial_code,
                note=e.note,
            )
            for e in events
        ],
    )


class CancelRequest(Strict):
    reason: str | None = Field(default=None, max_length=200, description="撤件原因")


class CorrectionRequest(Strict):
    changes: dict[str, Any] = Field(
        description="Fields to change, shaped like the item's request (nested objects merge)",
        examples=[{"applicant": {"phone": "13900139000"}}],
    )
    note: str | None = Field(default=None, max_length=200)


class DeliveryReport(Strict):
    step: str = Field(pattern="^(dispatched|delivered)$")
    carrier: str | None = Field(default=None, max_length=40, examples=["EMS"])
    tracking_number: str | None = Field(default=None, max_length=40)


class ActionResult(BaseModel):
    id: str
    status: str
    detail: str


def _item(runtime: RuntimeDep, case: Case) -> Any:
    item = runtime.catalogue.get(case.item)
    if item is None:
        raise Problem(
            "case-conflict",
            409,
            "Not possible in the case's state / 办件当前状态不允许",
            f"item {case.item} is no longer in the catalogue",
        )
    return item


@router.post(
    "/{case_id}/cancel",
    operation_id="cancel_application",
    summary="Withdraw the application / 撤件",
    responses={409: ERROR_RESPONSES[409]},
)
async def cancel_application(
    case_id: str, body: CancelRequest, runtime: RuntimeDep, session: SessionDep, client: ClientDep
) -> ActionResult:
    case = await _own_case(session, case_id, client)
    runtime.audit(client, "cancel_case", item=case.item, case_id=case.id)
    status = await case_actions.cancel(
        runtime.applier, case.id, _item(runtime, case), body.reason, utcnow()
    )
    return ActionResult(
        id=case.id,
        status=status.value,
        detail="withdrawals are being sent to the provinces holding the case",
    )


@router.post(
    "/{case_id}/corrections",
    operation_id="correct_application",
    summary="Supply a requested correction / 补正",
    responses={409: ERROR_RESPONSES[409], 422: ERROR_RESPONSES[422]},
)
async def correct_application(
    case_id: str,
    body: CorrectionRequest,
    runtime: RuntimeDep,
    session: SessionDep,
    client: ClientDep,
) -> ActionResult:
    case = await _own_case(session, case_id, client)
    runtime.audit(client, "correct_case", item=case.item, case_id=case.id)
    count = await case_actions.correct(
        runtime.applier,
        runtime.sealer,
        case.id,
        _item(runtime, case),
        body.changes,
        body.note,
        utcnow(),
    )
    return ActionResult(
        id=case.id, status=case.status, detail=f"correction forwarded to {count} province(s)"
    )


@router.post(
    "/{case_id}/delivery",
    operation_id="report_result_delivery",
    summary="Counter: paper result posted or handed over / 结果送达",
    responses={403: ERROR_RESPONSES[403], 409: ERROR_RESPONSES[409]},
)
async def report_delivery(
    case_id: str, body: DeliveryReport, runtime: RuntimeDep, session: SessionDep, client: ClientDep
) -> dict[str, Any]:
    if client.kind != "counter":
        raise Problem(
            "forbidden",
            403,
            "Forbidden / 无权访问",
            "only the receiving counter reports deliveries",
        )
    case = await _own_case(session, case_id, client)
    runtime.audit(client, "report_delivery", item=case.item, case_id=case.id, target=body.step)
    return await case_actions.record_delivery(
        runtime.applier,
        case.id,
        step=body.step,
        carrier=body.carrier,
        tracking_number=body.tracking_number,
        now=utcnow(),
    )
