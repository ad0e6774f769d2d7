"""Medical insurance (医疗保障) items: enrolment records, certificate, changes, transfer."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CaseDecision,
    IssuedDocument,
    PersonRef,
    Strict,
)
from schemas._fields import Address, Money, Phone, ProvinceCode, YearMonth
from schemas._items import (
    EX_APPLICANT,
    EX_PERSON,
    ID_CARD,
    INSTANT,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

MEDICAL = Department.medical_insurance


class MedicalScheme(StrEnum):
    employee = "employee"  # 职工基本医疗保险
    resident = "resident"  # 城乡居民基本医疗保险


class EnrolmentStatus(StrEnum):
    active = "active"  # 参保缴费
    suspended = "suspended"  # 暂停缴费
    terminated = "terminated"  # 终止参保


# --- enrolment lookup (基本医疗保险参保信息查询) -----------------------------------------


class MedicalEnrolmentQuery(Strict):
    model_config = examples({"person": EX_PERSON, "provinces": ["440000", "510000"]})

    person: PersonRef
    provinces: list[ProvinceCode] = Field(
        min_length=1, max_length=31, description="Provinces to ask / 查询省份"
    )


class MedicalEnrolment(BaseModel):
    province: ProvinceCode
    scheme: MedicalScheme = Field(description="Scheme / 险种")
    status: EnrolmentStatus = Field(description="Enrolment status / 参保状态")
    insured_since: YearMonth | None = Field(default=None, description="Insured since / 参保起始")
    account_balance: Money | None = Field(
        default=None, description="Personal account balance / 个人账户余额"
    )


class MedicalEnrolmentResult(BaseModel):
    model_config = examples(
        {
            "enrolments": [
                {
                    "province": "440000",
                    "scheme": "employee",
                    "status": "active",
                    "insured_since": "2019-07",
                    "account_balance": "3521.60",
                }
            ]
        }
    )

    enrolments: list[MedicalEnrolment] = Field(
        default_factory=list, description="Enrolments found / 参保记录"
    )


MEDICAL_INSURANCE_ENROLMENT_LOOKUP = ServiceItem(
    code="medical-insurance-enrolment-lookup",
    name_zh="基本医疗保险参保信息查询",
    name_en="Basic medical insurance enrolment lookup",
    department=MEDICAL,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "provinces", "被查询的参保地", "Provinces asked", many=True),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=MedicalEnrolmentQuery,
    result_model=MedicalEnrolmentResult,
    summary_zh="查询本人在各省的基本医疗保险参保状态和个人账户。",
    summary_en="Look up one's medical insurance enrolment and account in one or more provinces.",
    cancellable=False,
)


# --- enrolment certificate (参保凭证打印) -------------------------------------------------


class MedicalCertificateQuery(Strict):
    model_config = examples({"person": EX_PERSON, "insured_province": "510000"})

    person: PersonRef
    insured_province: ProvinceCode = Field(description="Province insured in / 参保地")


class MedicalCertificateResult(IssuedDocument):
    model_config = examples(
        {
            "document_number": "YBPZ510000202405060012",
            "issued_on": "2024-05-06",
            "verification_code": "Q8W2E7",
            "scheme": "employee",
            "insured_months": 96,
        }
    )

    scheme: MedicalScheme = Field(description="Scheme / 险种")
    insured_months: int = Field(ge=0, description="Months insured in total / 累计参保月数")


MEDICAL_INSURANCE_CERTIFICATE = ServiceItem(
    code="medical-insurance-certificate",
    name_zh="基本医疗保险参保凭证开具",
    name_en="Medical insurance enrolment certificate",
    department=MEDICAL,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "insured_province", "参保地", "Province insured in"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=MedicalCertificateQuery,
    result_model=MedicalCertificateResult,
    summary_zh="开具可验真的基本医疗保险参保凭证，用于关系转移等。",
    summary_en="Get a verifiable certificate of medical insurance enrolment, e.g. for a transfer.",
    cancellable=False,
)


# --- enrolment details change (参保人员基本信息变更) --------------------------------------


class MedicalDetailsChange(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "insured_province": "510000",
            "new_phone": "13912345678",
            "new_address": "广东省广州市天河区体育西路1号",
        }
    )

    applicant: Applicant
    insured_province: ProvinceCode = Field(description="Province insured in / 参保地")
    new_phone: Phone | None = Field(default=None, description="New phone / 新联系电话")
    new_address: Address | None = Field(default=None, description="New address / 新通讯地址")
    new_name: str | None = Field(
        default=None, max_length=50, description="New name after a legal change / 变更后姓名"
    )


class MedicalDetailsChangeResult(CaseDecision):
    model_config = examples({"decided_on": "2024-05-06", "changed_fields": ["phone", "address"]})

    changed_fields: list[str] = Field(default_factory=list, description="Fields changed / 变更项")


MEDICAL_INSURANCE_DETAILS_CHANGE = ServiceItem(
    code="medical-insurance-details-change",
    name_zh="参保人员基本信息变更",
    name_en="Change of an insured person's details",
    department=MEDICAL,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "insured_province", "参保地", "Province insured in"),),
    time_limits=limits(5, 1),
    materials=(
        ID_CARD,
        material(
            "name-change-proof",
            "姓名变更证明（改名时）",
            "Proof of name change (when renamed)",
            elicence="household-register",
            trust=TrustLevel.B,
            required=False,
        ),
    ),
    source=STANDARD,
    request_model=MedicalDetailsChange,
    result_model=MedicalDetailsChangeResult,
    summary_zh="异地变更在参保地登记的联系方式、地址或姓名。",
    summary_en="Update one's contact details or name at the insured province from afar.",
)


# --- transfer (基本医疗保险关系转移接续) -------------------------------------------------


class MedicalInsuranceTransfer(BetweenProvinces):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "origin_province": "510000",
            "destination_province": "440000",
            "scheme": "employee",
            "destination_enrolled_on": "2024-03-01",
        }
    )

    applicant: Applicant
    scheme: MedicalScheme = Field(description="Scheme in the new province / 转入地险种")
    destination_enrolled_on: dt.date | None = Field(
        default=None, description="Date enrolled in the new province / 转入地参保日期"
    )


class MedicalInsuranceTransferResult(CaseDecision):
    model_config = examples(
        {
            "decision_number": "粤医保转〔2024〕00318号",
            "decided_on": "2024-04-12",
            "transferred_months": 96,
            "account_balance_moved": "3521.60",
        }
    )

    transferred_months: int | None = Field(
        default=None, ge=0, description="Contribution months recognised / 转移缴费月数"
    )
    account_balance_moved: Money | None = Field(
        default=None, description="Personal account balance moved / 转移个人账户余额"
    )


MEDICAL_INSURANCE_TRANSFER = ServiceItem(
    code="medical-insurance-transfer",
    name_zh="基本医疗保险关系转移接续",
    name_en="Basic medical insurance transfer between provinces",
    department=MEDICAL,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter, Mode.joint),
    roles=(
        # The new place takes the application and asks for the record; once the old place
        # has closed the enrolment and moved the account balance, there is no way back.
        role(
            "destination",
            "destination_province",
            "转入地（受理申请）",
            "Transfer-in (takes the application)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "转出地（终止参保、转移账户）",
            "Transfer-out (closes the enrolment, moves the account)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(45, 15),
    materials=(ID_CARD,),
    source=STANDARD,
    request_model=MedicalInsuranceTransfer,
    result_model=MedicalInsuranceTransferResult,
    summary_zh="跨省就业或居住后，将基本医疗保险关系和个人账户转入新参保地，缴费年限累计。",
    summary_en="Carry medical insurance and its account to a new province; contribution years "
    "add up.",
)


ITEMS: tuple[ServiceItem, ...] = (
    MEDICAL_INSURANCE_ENROLMENT_LOOKUP,
    MEDICAL_INSURANCE_CERTIFICATE,
    MEDICAL_INSURANCE_DETAILS_CHANGE,
    MEDICAL_INSURANCE_TRANSFER,
)
