"""HRSS pension items: resident pension transfer, eligibility, payments, insurance certificate."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CaseDecision,
    IssuedDocument,
    PersonRef,
    Strict,
    conflict,
)
from schemas._fields import Address, Money, ProvinceCode, YearMonth
from schemas._items import (
    EX_APPLICANT,
    EX_PERSON,
    HUKOU_BOOKLET,
    ID_CARD,
    INSTANT,
    SRC_2020,
    STANDARD,
    examples,
    limits,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject
from schemas.hrss import InsuranceType

HRSS = Department.hrss


# --- urban-rural resident pension transfer (城乡居民基本养老保险关系转移接续) ---------------


class ResidentPensionTransfer(BetweenProvinces):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "origin_province": "510000",
            "destination_province": "440000",
            "new_hukou_address": "广东省广州市天河区体育西路1号",
            "insured_since": "2012-01",
        }
    )

    applicant: Applicant
    new_hukou_address: Address = Field(description="Hukou address after the move / 迁入后户籍地址")
    insured_since: YearMonth | None = Field(
        default=None, description="First insured month in the origin / 转出地首次参保年月"
    )


class ResidentPensionTransferResult(CaseDecision):
    model_config = examples(
        {
            "decision_number": "粤人社居保转〔2024〕0042号",
            "decided_on": "2024-05-20",
            "personal_account_balance": "8632.50",
            "contribution_years": 11,
        }
    )

    personal_account_balance: Money | None = Field(
        default=None, description="Personal account balance moved / 转移个人账户储存额"
    )
    contribution_years: int | None = Field(
        default=None, ge=0, description="Contribution years carried over / 累计缴费年限"
    )


PENSION_TRANSFER_RESIDENT = ServiceItem(
    code="pension-transfer-resident",
    name_zh="城乡居民基本养老保险关系转移接续",
    name_en="Urban-rural resident basic pension transfer between provinces",
    department=HRSS,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter, Mode.joint),
    roles=(
        # The new hukou place checks the move and asks for the record; once the old place has
        # paid out the personal account and closed the record, the transfer only goes forward.
        role(
            "destination",
            "destination_province",
            "转入地（新户籍地，受理申请）",
            "Transfer-in, the new hukou place (takes the application)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "转出地（转移个人账户）",
            "Transfer-out (moves the personal account)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(45, 20),
    materials=(ID_CARD, HUKOU_BOOKLET),
    source=SRC_2020,
    request_model=ResidentPensionTransfer,
    result_model=ResidentPensionTransferResult,
    summary_zh="户籍跨省迁移后，将城乡居民基本养老保险关系及个人账户转入新户籍地。",
    summary_en="After a hukou move, carry the resident pension record and account to the new "
    "hukou province.",
)


# --- pension eligibility certification (养老保险待遇领取资格认证) -----------------------


class CertificationMethod(StrEnum):
    face_recognition = "face-recognition"  # 人脸识别
    data_comparison = "data-comparison"  # 大数据比对
    counter = "counter"  # 窗口认证
    home_visit = "home-visit"  # 上门认证


class EligibilityCertification(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "paying_province": "510000",
            "method": "face-recognition",
            "current_address": "广东省广州市天河区体育西路1号",
        }
    )

    applicant: Applicant
    paying_province: ProvinceCode = Field(description="Province paying the pension / 待遇发放地")
    method: CertificationMethod = Field(description="How eligibility is confirmed / 认证方式")
    current_address: Address | None = Field(
        default=None, description="Where the pensioner lives now / 现居住地址"
    )


class EligibilityCertificationResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-03-05",
            "decision_text": "认证通过",
            "certified_until": "2025-03-04",
        }
    )

    certified_until: dt.date | None = Field(
        default=None, description="Next certification due by / 下次认证截止日期"
    )


PENSION_ELIGIBILITY_CERTIFICATION = ServiceItem(
    code="pension-eligibility-certification",
    name_zh="养老保险待遇领取资格认证",
    name_en="Pension eligibility certification",
    department=HRSS,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "paying_province", "待遇发放地", "Province paying the pension"),),
    time_limits=limits(None, 1),
    materials=(ID_CARD,),
    source=STANDARD,
    request_model=EligibilityCertification,
    result_model=EligibilityCertificationResult,
    summary_zh="异地居住的养老金领取人员向待遇发放地确认领取资格。",
    summary_en="Pensioners living in another province confirm their eligibility to the "
    "province paying them.",
    cancellable=False,
)


# --- pension payment lookup (养老金发放查询) ---------------------------------------------


class PensionPaymentQuery(Strict):
    model_config = examples(
        {
            "person": EX_PERSON,
            "paying_province": "510000",
            "from_month": "2024-01",
            "to_month": "2024-06",
        }
    )

    person: PersonRef
    paying_province: ProvinceCode = Field(description="Province paying the pension / 待遇发放地")
    from_month: YearMonth | None = Field(default=None, description="First month / 起始年月")
    to_month: YearMonth | None = Field(default=None, description="Last month / 截止年月")

    @model_validator(mode="after")
    def _months(self) -> PensionPaymentQuery:
        if self.from_month and self.to_month and self.from_month > self.to_month:
            raise conflict(
                "from_month is after to_month / 起始年月晚于截止年月", "from_month", "to_month"
            )
        return self


class PensionPayment(BaseModel):
    month: YearMonth = Field(description="Month paid for / 发放年月")
    amount: Money = Field(description="Amount paid / 发放金额")
    paid_on: dt.date | None = Field(default=None, description="Date paid / 发放日期")


class PensionPaymentResult(BaseModel):
    model_config = examples(
        {
            "monthly_amount": "3256.80",
            "payments": [{"month": "2024-01", "amount": "3256.80", "paid_on": "2024-01-10"}],
        }
    )

    monthly_amount: Money | None = Field(
        default=None, description="Current monthly pension / 月养老金"
    )
    payments: list[PensionPayment] = Field(default_factory=list, description="Payments / 发放记录")


PENSION_PAYMENT_LOOKUP = ServiceItem(
    code="pension-payment-lookup",
    name_zh="养老金发放查询",
    name_en="Pension payment lookup",
    department=HRSS,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "paying_province", "待遇发放地", "Province paying the pension"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=PensionPaymentQuery,
    result_model=PensionPaymentResult,
    summary_zh="查询本人基本养老金的核定金额和发放记录。",
    summary_en="Look up one's pension amount and payment history.",
    cancellable=False,
)


# --- social insurance certificate (社会保险参保证明开具) ---------------------------------


class InsuranceCertificateQuery(Strict):
    model_config = examples(
        {
            "person": EX_PERSON,
            "insured_province": "440000",
            "insurance_types": ["pension", "medical"],
            "from_month": "2022-01",
            "to_month": "2023-12",
        }
    )

    person: PersonRef
    insured_province: ProvinceCode = Field(description="Province insured in / 参保地")
    insurance_types: list[InsuranceType] = Field(
        min_length=1, description="Insurance types to certify / 证明的险种"
    )
    from_month: YearMonth | None = Field(default=None, description="First month / 起始年月")
    to_month: YearMonth | None = Field(default=None, description="Last month / 截止年月")


class InsuredPeriod(BaseModel):
    insurance_type: InsuranceType = Field(description="Insurance type / 险种")
    months_paid: int = Field(ge=0, description="Months paid in the period / 缴费月数")
    status: str = Field(description="Enrolment status, e.g. 正常参保 / 参保状态")


class InsuranceCertificateResult(IssuedDocument):
    model_config = examples(
        {
            "document_number": "GD2024031500123",
            "issued_on": "2024-03-15",
            "verification_code": "7K3Q9P",
            "download_url": "https://example.invalid/d/GD2024031500123",
            "periods": [{"insurance_type": "pension", "months_paid": 24, "status": "正常参保"}],
        }
    )

    periods: list[InsuredPeriod] = Field(
        default_factory=list, description="Per insurance type / 分险种情况"
    )


SOCIAL_INSURANCE_CERTIFICATE = ServiceItem(
    code="social-insurance-certificate",
    name_zh="社会保险参保缴费证明开具",
    name_en="Certificate of social insurance contributions",
    department=HRSS,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "insured_province", "参保地", "Province insured in"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=InsuranceCertificateQuery,
    result_model=InsuranceCertificateResult,
    summary_zh="在线开具带电子印章、可验真的参保缴费证明。",
    summary_en="Get a sealed, verifiable certificate of one's social insurance contributions.",
    cancellable=False,
)


ITEMS: tuple[ServiceItem, ...] = (
    PENSION_TRANSFER_RESIDENT,
    PENSION_ELIGIBILITY_CERTIFICATION,
    PENSION_PAYMENT_LOOKUP,
    SOCIAL_INSURANCE_CERTIFICATE,
)
