"""Human resources and social security (人力资源和社会保障) items."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas._common import Applicant, CaseDecision, PersonRef, Strict, conflict
from schemas._fields import CreditCode, Money, PastDate, ProvinceCode, YearMonth
from schemas._model import (
    Department,
    Kind,
    Material,
    Mode,
    Role,
    ServiceItem,
    Subject,
    TimeLimits,
    TrustLevel,
)

ANNOUNCEMENT_2020 = "State Council executive meeting, 2020-09-17; 国办发〔2020〕35号"


class InsuranceType(StrEnum):
    """Social insurance types (险种), with the national code each province uses on the wire."""

    pension = "pension"  # 110 企业职工基本养老保险
    unemployment = "unemployment"  # 210 失业保险
    medical = "medical"  # 310 职工基本医疗保险
    work_injury = "work-injury"  # 410 工伤保险
    maternity = "maternity"  # 510 生育保险


# --- social insurance contribution lookup (社保参保缴费查询) ----------------------------


class ContributionQuery(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person": {"name": "张三", "id_number": "11010519491231002X"},
                    "provinces": ["440000", "510000"],
                    "from_month": "2023-01",
                    "to_month": "2023-12",
                }
            ]
        }
    )

    person: PersonRef
    provinces: list[ProvinceCode] = Field(
        min_length=1,
        max_length=31,
        description="Provinces to ask, e.g. every province the person worked in / 查询省份",
    )
    from_month: YearMonth | None = Field(default=None, description="First month / 起始年月")
    to_month: YearMonth | None = Field(default=None, description="Last month / 截止年月")
    insurance_types: list[InsuranceType] | None = Field(
        default=None, description="Only these insurance types / 险种"
    )

    @model_validator(mode="after")
    def _check(self) -> ContributionQuery:
        if len(set(self.provinces)) != len(self.provinces):
            raise conflict("provinces: each province once / 省份不能重复", "provinces")
        if self.from_month and self.to_month and self.from_month > self.to_month:
            raise conflict(
                "from_month is after to_month / 起始年月晚于截止年月", "from_month", "to_month"
            )
        return self


class ContributionRecord(BaseModel):
    month: YearMonth
    insurance_type: InsuranceType = Field(description="Insurance type / 险种")
    base: Money = Field(description="Contribution base / 缴费基数")
    employer_amount: Money = Field(description="Employer part / 单位缴费")
    personal_amount: Money = Field(description="Personal part / 个人缴费")
    employer_name: str | None = Field(default=None, description="Employer / 参保单位")


class ContributionResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "records": [
                        {
                            "month": "2023-01",
                            "insurance_type": "pension",
                            "base": "8000.00",
                            "employer_amount": "1280.00",
                            "personal_amount": "640.00",
                            "employer_name": "广州市某某科技有限公司",
                        }
                    ],
                    "months_paid": 1,
                }
            ]
        }
    )

    records: list[ContributionRecord] = Field(default_factory=list)
    months_paid: int = Field(ge=0, description="Distinct months with a contribution / 缴费月数")


SOCIAL_INSURANCE_CONTRIBUTIONS = ServiceItem(
    code="social-insurance-contributions",
    name_zh="社保参保缴费查询",
    name_en="Social insurance contribution lookup",
    department=Department.hrss,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(
        Role(
            name="target",
            field="provinces",
            many=True,
            description_zh="被查询的参保地",
            description_en="Provinces where the person was insured",
        ),
    ),
    time_limits=TimeLimits(note="answered at once / 即时办结"),
    source="State Council executive meeting, 2020-09-17 (searching for information regarding "
    "social insurance)",
    request_model=ContributionQuery,
    result_model=ContributionResult,
    summary_zh="查询本人在一个或多个省份的社会保险参保缴费记录。",
    summary_en="Look up one's social insurance contribution records in one or more provinces.",
    cancellable=False,
)


# --- unemployment registration (失业登记) ----------------------------------------------


class UnemploymentReason(StrEnum):
    contract_ended = "contract-ended"
    dismissed = "dismissed"
    resigned = "resigned"
    employer_closed = "employer-closed"
    other = "other"


class UnemploymentRegistration(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "applicant": {
                        "name": "张三",
                        "id_number": "11010519491231002X",
                        "phone": "13800138000",
                    },
                    "competent_province": "440000",
                    "residence_address": "广东省广州市天河区体育西路1号",
                    "last_employer": "广州市某某科技有限公司",
                    "last_employer_credit_code": "91110000600037341L",
                    "unemployment_date": "2024-03-01",
                    "reason": "contract-ended",
                    "seeking_work": True,
                }
            ]
        }
    )

    applicant: Applicant
    competent_province: ProvinceCode = Field(
        description="Province of the usual residence or last insured place / 常住地或参保地"
    )
    residence_address: str = Field(
        min_length=2, max_length=200, description="Usual residence address / 常住地址"
    )
    last_employer: str | None = Field(
        default=None, max_length=100, description="Last employer / 原工作单位"
    )
    last_employer_credit_code: CreditCode | None = Field(
        default=None, description="Last employer's credit code / 原工作单位统一社会信用代码"
    )
    unemployment_date: PastDate = Field(description="Date employment ended / 失业日期")
    reason: UnemploymentReason = Field(description="Why employment ended / 失业原因")
    seeking_work: bool = Field(default=True, description="Wants job services / 有求职意愿")


class UnemploymentRegistrationResult(CaseDecision):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "decision_number": "穗人社失登〔2024〕01234号",
                    "decided_on": "2024-03-04",
                    "registration_number": "4401062024000123",
                    "registered_on": "2024-03-04",
                }
            ]
        }
    )

    registration_number: str | None = Field(
        default=None, description="Registration number / 失业登记编号"
    )
    registered_on: dt.date | None = Field(default=None, description="Date registered / 登记日期")


UNEMPLOYMENT_REGISTRATION = ServiceItem(
    code="unemployment-registration",
    name_zh="失业登记",
    name_en="Unemployment registration",
    department=Department.hrss,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        Role(
            name="competent",
            field="competent_province",
            description_zh="常住地或参保地",
            description_en="Usual residence or insured place",
        ),
    ),
    time_limits=TimeLimits(statutory_days=5, promised_days=1),
    materials=(
        Material(
            code="id-card",
            name_zh="居民身份证",
            name_en="Resident ID card",
            elicence="resident-id-card",
            min_trust=TrustLevel.B,
        ),
        Material(
            code="termination-proof",
            name_zh="解除或终止劳动关系证明",
            name_en="Proof of terminated employment",
            required=False,
            elicence=None,
            min_trust=TrustLevel.C,
        ),
    ),
    source=ANNOUNCEMENT_2020,
    request_model=UnemploymentRegistration,
    result_model=UnemploymentRegistrationResult,
    summary_zh="在常住地或参保地办理失业登记，享受就业服务。",
    summary_en="Register as unemployed where one lives or was insured, to get job services.",
)


# --- employee basic pension transfer (企业职工基本养老保险关系转移接续) --------------------


class TransferReason(StrEnum):
    job_change = "job-change"
    relocation = "relocation"
    other = "other"


class PensionTransfer(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "applicant": {
                        "name": "张三",
                        "id_number": "11010519491231002X",
                        "phone": "13800138000",
                    },
                    "origin_province": "510000",
                    "destination_province": "440000",
                    "destination_employer": "广州市某某科技有限公司",
                    "destination_employer_credit_code": "91110000600037341L",
                    "insured_since": "2015-07",
                    "reason": "job-change",
                }
            ]
        }
    )

    applicant: Applicant
    origin_province: ProvinceCode = Field(description="Transfer-out province / 转出地")
    destination_province: ProvinceCode = Field(description="Transfer-in province / 转入地")
    destination_employer: str | None = Field(
        default=None, max_length=100, description="New employer / 转入地参保单位"
    )
    destination_employer_credit_code: CreditCode | None = Field(
        default=None, description="New employer's credit code / 转入地参保单位统一社会信用代码"
    )
    insured_since: YearMonth | None = Field(
        default=None, description="First insured month in the origin / 转出地首次参保年月"
    )
    reason: TransferReason = Field(
        default=TransferReason.job_change, description="Why the person moves / 转移原因"
    )

    @model_validator(mode="after")
    def _two_provinces(self) -> PensionTransfer:
        if self.origin_province == self.destination_province:
            raise conflict(
                "origin_province equals destination_province; a transfer within one "
                "province is not inter-provincial / 转出地与转入地相同",
                "origin_province",
                "destination_province",
            )
        return self


class PensionTransferResult(CaseDecision):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "decision_number": "粤人社转〔2024〕00123号",
                    "decided_on": "2024-04-18",
                    "contact_letter_number": "44000020240312001",
                    "transferred_months": 104,
                    "personal_account_balance": "53218.40",
                    "pooled_fund_transferred": "86520.00",
                }
            ]
        }
    )

    contact_letter_number: str | None = Field(
        default=None, description="Contact letter number / 联系函编号"
    )
    transferred_months: int | None = Field(
        default=None, ge=0, description="Contribution months moved / 转移缴费月数"
    )
    personal_account_balance: Money | None = Field(
        default=None, description="Personal account moved / 个人账户储存额"
    )
    pooled_fund_transferred: Money | None = Field(
        default=None, description="Pooled fund moved / 统筹基金转移额"
    )


PENSION_TRANSFER_EMPLOYEE = ServiceItem(
    code="pension-transfer-employee",
    name_zh="企业职工基本养老保险关系转移接续",
    name_en="Employee basic pension insurance transfer between provinces",
    department=Department.hrss,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter, Mode.joint),
    roles=(
        # The new insured place takes the application and issues the contact letter (联系函);
        # the old one then transfers the record and funds. Once funds move, only forward.
        Role(
            name="destination",
            field="destination_province",
            order=0,
            description_zh="转入地（受理申请）",
            description_en="Transfer-in (takes the application)",
        ),
        Role(
            name="origin",
            field="origin_province",
            order=1,
            pivot=True,
            description_zh="转出地（转移基金）",
            description_en="Transfer-out (moves the funds)",
        ),
    ),
    time_limits=TimeLimits(statutory_days=45, promised_days=15),
    materials=(
        Material(
            code="id-card",
            name_zh="居民身份证",
            name_en="Resident ID card",
            elicence="resident-id-card",
            min_trust=TrustLevel.B,
        ),
        Material(
            code="contribution-certificate",
            name_zh="参保缴费凭证",
            name_en="Certificate of insurance contributions",
            elicence="social-insurance-contribution-certificate",
            min_trust=TrustLevel.A,
            required=False,
        ),
    ),
    source=ANNOUNCEMENT_2020,
    request_model=PensionTransfer,
    result_model=PensionTransferResult,
    summary_zh="跨省流动就业时转移接续企业职工基本养老保险关系。",
    summary_en="Move one's employee pension insurance record and funds to a new province.",
    cancellable=True,
)


ITEMS: tuple[ServiceItem, ...] = (
    SOCIAL_INSURANCE_CONTRIBUTIONS,
    UNEMPLOYMENT_REGISTRATION,
    PENSION_TRANSFER_EMPLOYEE,
)
