"""Veterans affairs (退役军人事务) items: moving a disability pension between provinces."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas._common import Applicant, BetweenProvinces, CaseDecision
from schemas._fields import Address, CertificateNumber, YearMonth
from schemas._items import (
    EX_APPLICANT,
    HUKOU_BOOKLET,
    ID_CARD,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel


class DisabilityGrade(StrEnum):
    """Disability grades for servicemen, one (most severe) to ten (残疾等级)."""

    g1 = "1"
    g2 = "2"
    g3 = "3"
    g4 = "4"
    g5 = "5"
    g6 = "6"
    g7 = "7"
    g8 = "8"
    g9 = "9"
    g10 = "10"


class PensionRelationTransfer(BetweenProvinces):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "origin_province": "420000",
            "destination_province": "440000",
            "certificate_number": "鄂军残字第012345号",
            "grade": "8",
            "new_address": "广东省广州市天河区体育西路1号",
        }
    )

    applicant: Applicant
    certificate_number: CertificateNumber = Field(
        description="Disabled serviceman certificate / 残疾军人证编号"
    )
    grade: DisabilityGrade = Field(description="Disability grade / 残疾等级")
    new_address: Address = Field(description="Hukou address after the move / 迁入地户籍地址")


class PensionRelationTransferResult(CaseDecision):
    model_config = examples(
        {
            "decision_number": "粤退役抚迁〔2024〕0031号",
            "decided_on": "2024-05-30",
            "paid_by_destination_from": "2025-01",
        }
    )

    paid_by_destination_from: YearMonth | None = Field(
        default=None, description="New province pays from / 迁入地起发年月"
    )


DISABILITY_PENSION_TRANSFER = ServiceItem(
    code="disability-pension-transfer",
    name_zh="伤残人员抚恤关系跨省迁移",
    name_en="Disabled serviceman's pension transfer between provinces",
    department=Department.veterans,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter, Mode.joint),
    roles=(
        # The move-in department reviews and agrees first; once the move-out department has
        # sent the file and fixed the last month it pays, the pension has moved.
        role(
            "destination",
            "destination_province",
            "迁入地退役军人事务部门（审核接收）",
            "Move-in department (reviews, accepts)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "迁出地退役军人事务部门（转出档案、停发）",
            "Move-out department (sends the file, stops paying)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(40, 20),
    materials=(
        ID_CARD,
        HUKOU_BOOKLET,
        material(
            "disability-certificate",
            "残疾军人证",
            "Disabled serviceman certificate",
            elicence="disabled-serviceman-certificate",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=PensionRelationTransfer,
    result_model=PensionRelationTransferResult,
    summary_zh="残疾军人等伤残人员户口跨省迁移后，抚恤关系随之迁移，抚恤金不断档。",
    summary_en="After a hukou move, a disabled serviceman's pension moves along without a gap.",
)


ITEMS: tuple[ServiceItem, ...] = (DISABILITY_PENSION_TRANSFER,)
