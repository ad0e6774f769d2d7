"""HRSS social insurance items: enrolment, payment, unemployment insurance and work injury."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from schemas._common import Applicant, BetweenProvinces, CaseDecision, Enterprise, Strict
from schemas._fields import (
    Address,
    CertificateNumber,
    Money,
    PositiveMoney,
    ProvinceCode,
    YearMonth,
)
from schemas._items import (
    APPLICATION_FORM,
    BUSINESS_LICENCE,
    EX_APPLICANT,
    EX_ENTERPRISE,
    ID_CARD,
    RESIDENCE_PERMIT,
    SRC_SEED_SOCIAL,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel
from schemas.hrss import InsuranceType

HRSS = Department.hrss


# --- flexible employment enrolment (灵活就业人员参保登记) --------------------------------


class FlexibleEnrolment(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "enrolment_province": "440000",
            "start_month": "2024-04",
            "insurance_types": ["pension", "medical"],
        }
    )

    applicant: Applicant
    enrolment_province: ProvinceCode = Field(
        description="Province of usual residence where one enrols / 常住地（参保地）"
    )
    start_month: YearMonth = Field(description="First month to contribute / 参保起始年月")
    insurance_types: list[InsuranceType] = Field(
        min_length=1, description="Insurance types to join / 参保险种"
    )


class FlexibleEnrolmentResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-04-02",
            "decision_text": "参保登记成功",
            "insured_person_number": "4401062024004321",
            "first_month": "2024-04",
        }
    )

    insured_person_number: str | None = Field(
        default=None, description="Insured person number / 个人社保编号"
    )
    first_month: YearMonth | None = Field(default=None, description="First month / 参保起始年月")


FLEXIBLE_EMPLOYMENT_ENROLMENT = ServiceItem(
    code="flexible-employment-enrolment",
    name_zh="灵活就业人员参保登记",
    name_en="Social insurance enrolment for flexible workers",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "enrolment_province",
            "常住地（参保地）",
            "Usual residence where one enrols",
        ),
    ),
    time_limits=limits(5, 1),
    materials=(
        ID_CARD,
        material(
            "residence-permit",
            "居住证（非户籍地参保时）",
            "Residence permit (when not the hukou place)",
            elicence="residence-permit",
            trust=TrustLevel.A,
            required=False,
        ),
    ),
    source=SRC_SEED_SOCIAL,
    request_model=FlexibleEnrolment,
    result_model=FlexibleEnrolmentResult,
    summary_zh="个体工商户和灵活就业人员在常住地办理社会保险参保登记。",
    summary_en="Self-employed and flexible workers enrol in social insurance where they live.",
)


# --- social insurance contribution payment (社会保险费缴纳) ------------------------------


class ContributionScheme(StrEnum):
    resident_pension = "resident-pension"  # 城乡居民基本养老保险
    flexible_pension = "flexible-pension"  # 灵活就业人员基本养老保险


class ContributionPayment(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "insured_province": "510000",
            "scheme": "resident-pension",
            "year": 2024,
            "amount": "500.00",
        }
    )

    applicant: Applicant
    insured_province: ProvinceCode = Field(description="Province insured in / 参保地")
    scheme: ContributionScheme = Field(description="What is paid for / 缴费险种")
    year: int = Field(ge=2000, le=2100, description="Contribution year / 缴费年度")
    amount: PositiveMoney = Field(description="Amount paid, a grade the province offers / 缴费金额")


class ContributionPaymentResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-06",
            "payment_order_number": "SC2024050600012345",
            "paid_amount": "500.00",
            "receipt_number": "川税社缴〔2024〕0000123",
        }
    )

    payment_order_number: str | None = Field(default=None, description="Payment order / 缴费单号")
    paid_amount: Money | None = Field(default=None, description="Amount credited / 到账金额")
    receipt_number: str | None = Field(default=None, description="Receipt number / 缴费凭证号")


SOCIAL_INSURANCE_PAYMENT = ServiceItem(
    code="social-insurance-payment",
    name_zh="城乡居民和灵活就业人员社会保险费缴纳",
    name_en="Social insurance contribution payment (residents and flexible workers)",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "insured_province", "参保地", "Province insured in"),),
    time_limits=limits(None, 1, "credited the next working day / 次工作日到账"),
    materials=(ID_CARD,),
    source=SRC_SEED_SOCIAL,
    request_model=ContributionPayment,
    result_model=ContributionPaymentResult,
    summary_zh="在异地为本人在参保地的城乡居民或灵活就业养老保险缴费；缴费不是收费。",
    summary_en="Pay one's resident or flexible-worker pension contribution to the insured "
    "province from anywhere; a contribution is not a fee.",
    cancellable=False,
)


# --- employer social insurance registration (单位参保登记) -------------------------------


class EmployerRegistration(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "registration_province": "440000",
            "registered_address": "广东省广州市天河区体育西路1号",
            "employees": 35,
            "insurance_types": ["pension", "unemployment", "work-injury", "medical", "maternity"],
        }
    )

    enterprise: Enterprise
    registration_province: ProvinceCode = Field(
        description="Province where the employer registers / 参保登记地"
    )
    registered_address: Address = Field(description="Registered address / 注册地址")
    employees: int = Field(ge=1, description="Employees to insure / 参保职工人数")
    insurance_types: list[InsuranceType] = Field(min_length=1, description="Insurance types / 险种")


class EmployerRegistrationResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-02-01",
            "employer_number": "44010620240001234",
        }
    )

    employer_number: str | None = Field(
        default=None, description="Employer social insurance number / 单位社保编号"
    )


EMPLOYER_SOCIAL_INSURANCE_REGISTRATION = ServiceItem(
    code="employer-social-insurance-registration",
    name_zh="单位参保登记",
    name_en="Employer social insurance registration",
    department=HRSS,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role("competent", "registration_province", "参保登记地", "Where the employer registers"),
    ),
    time_limits=limits(5, 1),
    materials=(BUSINESS_LICENCE, APPLICATION_FORM),
    source=STANDARD,
    request_model=EmployerRegistration,
    result_model=EmployerRegistrationResult,
    summary_zh="企业在经营地为职工办理社会保险单位参保登记。",
    summary_en="An employer registers for its employees' social insurance where it operates.",
)


# --- unemployment insurance transfer (失业保险关系转移接续) ------------------------------


class UnemploymentInsuranceTransfer(BetweenProvinces):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "origin_province": "510000",
            "destination_province": "440000",
            "unemployment_date": "2024-02-29",
            "remaining_benefit_months": 9,
        }
    )

    applicant: Applicant
    unemployment_date: dt.date = Field(description="Date employment ended / 失业日期")
    remaining_benefit_months: int | None = Field(
        default=None, ge=0, le=24, description="Benefit months not yet drawn / 剩余领取月数"
    )


class UnemploymentInsuranceTransferResult(CaseDecision):
    model_config = examples(
        {
            "decision_number": "粤人社失转〔2024〕0088号",
            "decided_on": "2024-03-22",
            "transferred_months": 9,
            "transferred_amount": "16200.00",
        }
    )

    transferred_months: int | None = Field(
        default=None, ge=0, description="Benefit months moved / 转移领取月数"
    )
    transferred_amount: Money | None = Field(default=None, description="Funds moved / 转移金额")


UNEMPLOYMENT_INSURANCE_TRANSFER = ServiceItem(
    code="unemployment-insurance-transfer",
    name_zh="失业保险关系转移接续",
    name_en="Unemployment insurance transfer between provinces",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter, Mode.joint),
    roles=(
        # The new place accepts the request; once the old place has paid the remaining
        # benefit funds over and closed the record, the transfer cannot be undone.
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
            "转出地（划转基金）",
            "Transfer-out (moves the funds)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(30, 15),
    materials=(ID_CARD,),
    source=STANDARD,
    request_model=UnemploymentInsuranceTransfer,
    result_model=UnemploymentInsuranceTransferResult,
    summary_zh="跨省流动的失业人员将失业保险关系和待遇转入新参保地。",
    summary_en="Unemployed people who move carry their unemployment insurance and remaining "
    "benefits to the new province.",
)


# --- work-injury treatment away from the insured place (工伤职工异地居住就医申请) ---------


class RemoteTreatmentReason(StrEnum):
    resettled = "resettled"  # 异地安置
    long_term_residence = "long-term-residence"  # 异地长期居住
    posted_elsewhere = "posted-elsewhere"  # 异地工作


class WorkInjuryRemoteTreatment(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "insured_province": "510000",
            "living_province": "440000",
            "injury_decision_number": "川人社工认〔2023〕0456号",
            "hospital": "广州市第一人民医院",
            "reason": "long-term-residence",
        }
    )

    applicant: Applicant
    insured_province: ProvinceCode = Field(description="Province insured in / 参保地")
    living_province: ProvinceCode = Field(description="Province lived in now / 现居住地")
    injury_decision_number: CertificateNumber = Field(
        description="Work-injury recognition decision / 工伤认定决定书编号"
    )
    hospital: str = Field(
        min_length=2, max_length=100, description="Chosen hospital / 选定就医机构"
    )
    reason: RemoteTreatmentReason = Field(description="Why treatment is elsewhere / 异地就医原因")


class WorkInjuryRemoteTreatmentResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-03",
            "filing_number": "GSYD2024000123",
            "valid_until": "2025-06-02",
        }
    )

    filing_number: str | None = Field(default=None, description="Filing number / 备案编号")
    valid_until: dt.date | None = Field(default=None, description="Valid until / 备案有效期至")


WORK_INJURY_REMOTE_TREATMENT = ServiceItem(
    code="work-injury-remote-treatment",
    name_zh="工伤职工异地居住就医申请",
    name_en="Work-injury treatment away from the insured province",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "insured_province",
            "参保地（工伤保险经办机构）",
            "Insured province (work-injury insurance agency)",
        ),
    ),
    time_limits=limits(15, 5),
    materials=(
        ID_CARD,
        RESIDENCE_PERMIT,
        material(
            "injury-decision",
            "工伤认定决定书",
            "Work-injury recognition decision",
            elicence="work-injury-decision",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=WorkInjuryRemoteTreatment,
    result_model=WorkInjuryRemoteTreatmentResult,
    summary_zh="居住在参保地以外的工伤职工备案异地就医机构，费用按规定由工伤保险基金支付。",
    summary_en="Injured workers living elsewhere register a hospital there so work-injury "
    "insurance pays for their treatment.",
)


ITEMS: tuple[ServiceItem, ...] = (
    FLEXIBLE_EMPLOYMENT_ENROLMENT,
    SOCIAL_INSURANCE_PAYMENT,
    EMPLOYER_SOCIAL_INSURANCE_REGISTRATION,
    UNEMPLOYMENT_INSURANCE_TRANSFER,
    WORK_INJURY_REMOTE_TREATMENT,
)
