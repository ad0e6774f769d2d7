"""Response models: what clients see of items, cases and provinces."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from gateway.i18n import Lang, pick
from schemas._model import (
    DEPARTMENT_NAMES,
    FeeRule,
    Kind,
    Material,
    Mode,
    Role,
    ServiceItem,
    Subject,
    TimeLimits,
)


class ItemSummary(BaseModel):
    code: str = Field(examples=["pension-transfer-employee"])
    name: str = Field(description="Name in the negotiated language (Accept-Language; zh default)")
    name_zh: str
    name_en: str
    department: str
    department_name: str = Field(description="Department name in the negotiated language")
    department_name_zh: str
    department_name_en: str
    batch: int = Field(description="2020 or 2021 batch of the State Council decision")
    subject: Subject
    kind: Kind
    modes: list[Mode]
    roles: list[Role]
    time_limits: TimeLimits
    fee: FeeRule
    materials: list[Material]
    source: str
    summary: str = Field(description="Summary in the negotiated language")
    summary_zh: str
    summary_en: str
    cancellable: bool
    operation_id: str
    provinces: list[str] = Field(description="Provinces serving the item through the gateway")

    @classmethod
    def of(cls, item: ServiceItem, provinces: list[str], lang: Lang = "zh") -> ItemSummary:
        zh, en = DEPARTMENT_NAMES[item.department]
        return cls(
            code=item.code,
            name=pick(lang, item.name_zh, item.name_en),
            department_name=pick(lang, zh, en),
            summary=pick(lang, item.summary_zh, item.summary_en),
            name_zh=item.name_zh,
            name_en=item.name_en,
            department=item.department.value,
            department_name_zh=zh,
            department_name_en=en,
            batch=item.batch,
            subject=item.subject,
            kind=item.kind,
            modes=list(item.modes),
            roles=list(item.roles),
            time_limits=item.time_limits,
            fee=item.fee,
            materials=list(item.materials),
            source=item.source,
            summary_zh=item.summary_zh,
            summary_en=item.summary_en,
            cancellable=item.cancellable,
            operation_id=item.operation_id,
            provinces=provinces,
        )


class ItemDetail(ItemSummary):
    request_schema: dict[str, Any] = Field(description="JSON Schema of the item's request")
    result_schema: dict[str, Any] = Field(description="JSON Schema of the item's result")


class ItemPage(BaseModel):
    items: list[ItemSummary]
    total: int
    page: int
    limit: int


class SubmissionAccepted(BaseModel):
    id: str = Field(description="Case id (办件编号)")
    item: str
    status: str = Field(examples=["submitted"])
    location: str = Field(description="Where to follow the case")


class Clock(BaseModel):
    """A working-day time limit (时限) and where the case stands against it."""

    due: dt.date | None
    state: str = Field(description="on-time | warning | overdue | closed | unknown")
    working_days_left: int | None


class LegView(BaseModel):
    role: str
    province: str
    province_name: str
    step: int
    pivot: bool
    status: str = Field(description="'pending' (waiting for an earlier step) or a case status")
    reference: str | None = Field(description="The province's own case reference")
    provincial_status: str | None = Field(description="The province's own status code")
    provincial_description: str | None
    reason: str | None
    submitted_at: dt.datetime | None
    updated_at: dt.datetime
    promised: Clock


class EventView(BaseModel):
    at: dt.datetime
    kind: str
    status: str | None
    source: str
    province: str | None
    provincial_code: str | None
    note: str | None


class CaseSummary(BaseModel):
    id: str
    item: str
    mode: str
    channel: str
    status: str = Field(examples=["in_review"])
    applicant: dict[str, str] = Field(description="Masked: 110105********002X")
    created_at: dt.datetime
    updated_at: dt.datetime
    statutory: Clock = Field(description="Statutory limit (法定时限)")
    promised: Clock = Field(description="Promised limit (承诺时限)")
    deadline_note: str | None = Field(
        description="Why a due date is missing (e.g. the holiday calendar has no data yet)"
    )


class CaseView(CaseSummary):
    legs: list[LegView]
    events: list[EventView]
    result: dict[str, Any] | None
    counter: dict[str, Any] | None = Field(description="Counter receipt (异地代收), if any")
    delivery: dict[str, Any] | None = Field(description="Paper result delivery, if any")


class ProvinceView(BaseModel):
    code: str
    name: str
    name_en: str
    family: str
    enabled: bool
    healthy: bool
    checked_at: dt.datetime | None
    items: list[str]


class ProvinceList(BaseModel):
    provinces: list[ProvinceView]
    total: int
