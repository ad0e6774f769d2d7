"""Disabled Persons' Federation (残联) items: the disability certificate (残疾人证)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CertificateCheck,
    CertificateDecision,
    CertificateFound,
    Delivery,
    PersonRef,
    Strict,
)
from schemas._fields import ProvinceCode
from schemas._items import (
    EX_APPLICANT_2,
    EX_PERSON,
    HUKOU_BOOKLET,
    ID_CARD,
    INSTANT,
    PHOTO,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

CDPF = Department.disabled_persons
DISABILITY_CERTIFICATE = material(
    "disability-certificate",
    "残疾人证",
    "Disability certificate",
    elicence="disability-certificate",
    trust=TrustLevel.A,
)


class DisabilityCategory(StrEnum):
    """Disability categories (GB/T 26341)."""

    visual = "visual"  # 视力残疾
    hearing = "hearing"  # 听力残疾
    speech = "speech"  # 言语残疾
    physical = "physical"  # 肢体残疾
    intellectual = "intellectual"  # 智力残疾
    mental = "mental"  # 精神残疾
    multiple = "multiple"  # 多重残疾


class DisabilityLevel(StrEnum):
    level_1 = "1"  # 一级，最重
    level_2 = "2"
    level_3 = "3"
    level_4 = "4"


class DisabilityCertificateCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "110000",
            "certificate_number": "11010519491231002X42",
        }
    )


class DisabilityCertificateFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "11010519491231002X42",
            "issued_on": "2019-03-01",
            "issuer": "北京市西城区残疾人联合会",
            "category": "physical",
            "level": "2",
        }
    )

    category: DisabilityCategory | None = Field(default=None, description="Category / 残疾类别")
    level: DisabilityLevel | None = Field(default=None, description="Level / 残疾等级")


DISABILITY_CERTIFICATE_LOOKUP = ServiceItem(
    code="disability-certificate-lookup",
    name_zh="残疾人证查询核验",
    name_en="Disability certificate verification",
    department=CDPF,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=DisabilityCertificateCheck,
    result_model=DisabilityCertificateFound,
    summary_zh="核验第三代残疾人证的真实性、类别和等级。",
    summary_en="Check a disability certificate, its category and level.",
    cancellable=False,
)


class CertificateApplication(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_2,
            "hukou_province": "510000",
            "category": "physical",
            "delivery": {"method": "counter-pickup"},
        }
    )

    applicant: Applicant
    hukou_province: ProvinceCode = Field(description="Province of the hukou / 户籍地")
    category: DisabilityCategory = Field(description="Category claimed / 申请评定的残疾类别")
    guardian: PersonRef | None = Field(
        default=None, description="Guardian, for minors or intellectual disability / 监护人"
    )
    delivery: Delivery = Field(description="How the certificate is delivered / 送达方式")


class CertificateApplicationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-07-01",
            "certificate_number": "44010619850315001142",
            "category": "physical",
            "level": "4",
        }
    )

    category: DisabilityCategory | None = Field(default=None, description="Category / 残疾类别")
    level: DisabilityLevel | None = Field(default=None, description="Level / 残疾等级")


DISABILITY_CERTIFICATE_APPLICATION = ServiceItem(
    code="disability-certificate-application",
    name_zh="残疾人证新办（异地评定）",
    name_en="Disability certificate application away from the hukou place",
    department=CDPF,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.counter,),
    roles=(
        role(
            "competent",
            "hukou_province",
            "户籍地残联（审核发证）",
            "Federation of the hukou place (approves, issues)",
        ),
    ),
    time_limits=limits(30, 20),
    materials=(ID_CARD, HUKOU_BOOKLET, PHOTO),
    source=STANDARD,
    request_model=CertificateApplication,
    result_model=CertificateApplicationResult,
    summary_zh="在居住地申请并接受残疾评定，户籍地审核发证。",
    summary_en="Apply and be assessed where one lives; the hukou place approves and issues.",
)


class CertificateTransfer(BetweenProvinces):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_2,
            "origin_province": "510000",
            "destination_province": "440000",
            "certificate_number": "44010619850315001142",
        }
    )

    applicant: Applicant
    certificate_number: str = Field(
        pattern=r"^\d{17}[\dX]\d{2}$", description="Current certificate number / 现残疾人证号"
    )


class CertificateTransferResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-08-05",
            "certificate_number": "44010619850315001142",
        }
    )


DISABILITY_CERTIFICATE_TRANSFER = ServiceItem(
    code="disability-certificate-transfer",
    name_zh="残疾人证迁移",
    name_en="Disability certificate transfer after a hukou move",
    department=CDPF,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.joint),
    roles=(
        # The move-in federation accepts first; once the move-out federation has released the
        # record, the certificate only exists at the new place.
        role(
            "destination",
            "destination_province",
            "迁入地残联（受理、换发）",
            "Move-in federation (accepts, reissues)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "迁出地残联（迁出档案）",
            "Move-out federation (releases the record)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(20, 10),
    materials=(ID_CARD, HUKOU_BOOKLET, DISABILITY_CERTIFICATE),
    source=STANDARD,
    request_model=CertificateTransfer,
    result_model=CertificateTransferResult,
    summary_zh="户口跨省迁移后，残疾人证随之迁入新户籍地，无需重新评定。",
    summary_en="After a hukou move the disability certificate moves too, without reassessment.",
)


ITEMS: tuple[ServiceItem, ...] = (
    DISABILITY_CERTIFICATE_LOOKUP,
    DISABILITY_CERTIFICATE_APPLICATION,
    DISABILITY_CERTIFICATE_TRANSFER,
)
