"""Following a case (办件): status, legs, timeline, result."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from gateway.api.deps import ClientDep, SessionDep
from gateway.api.operations import ERROR_RESPONSES
from gateway.api.views import CaseView, EventView, LegView
from gateway.problems import not_found
from gateway.store.tables import Case, Event, Leg
from schemas._provinces import PROVINCES

router = APIRouter(prefix="/v1/applications", tags=["applications"])


@router.get(
    "/{case_id}",
    operation_id="get_application",
    summary="A case's status, legs and events / 办件状态",
    responses={
        404: ERROR_RESPONSES[401] | {"description": "Unknown case"},
        401: ERROR_RESPONSES[401],
    },
)
async def get_application(case_id: str, session: SessionDep, client: ClientDep) -> CaseView:
    case = await session.get(Case, case_id)
    # Another client's case is indistinguishable from no case at all.
    if case is None or case.client_id != client.id:
        raise not_found("Application", f"no application {case_id!r} for this client")
    legs = await session.scalars(select(Leg).where(Leg.case_id == case.id).order_by(Leg.position))
    events = await session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id))
    return CaseView(
        id=case.id,
        item=case.item,
        mode=case.mode,
        channel=case.channel,
        status=case.status,
        applicant=case.applicant_masked,
        result=case.result,
        created_at=case.created_at,
        updated_at=case.updated_at,
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
