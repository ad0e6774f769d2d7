"""Medical insurance items for treatment away from the insured province (异地就医)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from schemas._common import Applicant, CaseDecision, PersonRef, Strict, conflict
from schemas._fields import BankCard, Money, PastDate, ProvinceCode
from schemas._items import (
    EX_APPLICANT,
    EX_APPLICANT_3,
    EX_PERSON,
    ID_CARD,
    INSTANT,
    SRC_2021,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

MEDICAL = Department.medical_insurance
_INSURED = role("competent", "insured_province", "参保地", "Province insured in")


class FilingCategory(StrEnum):
    """Who may file (备案人员类别), per the national rules for cross-province treatment."""

    resettled_retiree = "resettled-retiree"  # 异地安置退休人员
    long_term_resident = "long-term-resident"  # 异地长期居住人员
    posted_worker = "posted-worker"  # 常驻异地工作人员
    referred = "referred"  # 异地转诊人员
    temporary = "temporary"  # 临时外出就医人员


# --- record filing (异地就医登记备案) -----------------------------------------------------


class TreatmentFiling(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "insured_province": "510000",
            "treatment_province": "440000",
            "category": "long-term-resident",
            "start_date": "2024-06-01",
        }
    )

    applicant: Applicant
    insured_province: ProvinceCode = Field(description="Province insured in / 参保地")
    treatment_province: ProvinceCode = Field(description="Province treated in / 就医地")
    category: FilingCategory = Field(description="Filing category / 备案人员类别")
    start_date: dt.date = Field(description="Filing starts / 备案开始日期")
    end_date: dt.date | None = Field(
        default=None, description="Filing ends; empty for long-term categories / 备案结束日期"
    )
    referring_hospital: str | None = Field(
        default=None, max_length=100, description="Referring hospital (referrals) / 转出医院"
    )

    @model_validator(mode="after")
    def _check(self) -> TreatmentFiling:
        if self.insured_province == self.treatment_province:
            raise conflict(
                "treatment_province equals insured_province / 就医地与参保地相同",
                "insured_province",
                "treatment_province",
            )
        if self.end_date and self.end_date < self.start_date:
            raise conflict(
                "end_date is before start_date / 结束日期早于开始日期", "start_date", "end_date"
            )
        if self.category is FilingCategory.referred and not self.referring_hospital:
            raise conflict(
                "a referral names the referring hospital / 转诊须填写转出医院", "referring_hospital"
            )
        return self


class TreatmentFilingResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-28",
            "filing_number": "YDBA5100002024052800123",
            "valid_from": "2024-06-01",
            "valid_until": None,
        }
    )

    filing_number: str | None = Field(default=None, description="Filing number / 备案编号")
    valid_from: dt.date | None = Field(default=None, description="Valid from / 备案生效日期")
    valid_until: dt.date | None = Field(default=None, description="Valid until / 备案失效日期")


OUT_OF_PROVINCE_TREATMENT_FILING = ServiceItem(
    code="out-of-province-treatment-filing",
    name_zh="异地就医登记备案",
    name_en="Record filing for treatment in another province",
    department=MEDICAL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_INSURED,),
    time_limits=limits(5, 0, "usually filed at once / 多数即时备案"),
    materials=(
        ID_CARD,
        material(
            "residence-proof",
            "异地长期居住或工作证明（居住证等，按类别）",
            "Proof of residence or work away (e.g. residence permit), by category",
            elicence="residence-permit",
            trust=TrustLevel.C,
            required=False,
        ),
    ),
    source=SRC_2021,
    request_model=TreatmentFiling,
    result_model=TreatmentFilingResult,
    summary_zh="跨省就医前向参保地备案，就医时直接结算。",
    summary_en="File with the insured province before treatment elsewhere, so bills settle "
    "directly.",
)


# --- settlement lookup (异地就医结算信息查询) ---------------------------------------------


class SettlementQuery(Strict):
    model_config = examples(
        {
            "person": EX_PERSON,
            "insured_province": "510000",
            "from_date": "2024-01-01",
            "to_date": "2024-06-30",
        }
    )

    person: PersonRef
    insured_province: ProvinceCode = Field(description="Province insured in / 参保地")
    from_date: PastDate = Field(description="From / 起始日期")
    to_date: PastDate = Field(description="To / 截止日期")


class TreatmentSettlement(BaseModel):
    settled_on: dt.date = Field(description="Date settled / 结算日期")
    hospital: str = Field(description="Hospital / 就医机构")
    treatment_province: ProvinceCode
    total: Money = Field(description="Total cost / 医疗费用总额")
    fund_paid: Money = Field(description="Paid by the fund / 基金支付")
    self_paid: Money = Field(description="Paid by the person / 个人负担")


class SettlementResult(BaseModel):
    model_config = examples(
        {
            "settlements": [
                {
                    "settled_on": "2024-03-12",
                    "hospital": "广州市第一人民医院",
                    "treatment_province": "440000",
                    "total": "12850.00",
                    "fund_paid": "9120.50",
                    "self_paid": "3729.50",
                }
            ]
        }
    )

    settlements: list[TreatmentSettlement] = Field(
        default_factory=list, description="Settlements / 结算记录"
    )


OUT_OF_PROVINCE_SETTLEMENT_LOOKUP = ServiceItem(
    code="out-of-province-settlement-lookup",
    name_zh="异地就医结算信息查询",
    name_en="Cross-province treatment settlement lookup",
    department=MEDICAL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "insured_province", "参保地", "Province insured in"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=SettlementQuery,
    result_model=SettlementResult,
    summary_zh="查询跨省就医直接结算的费用明细。",
    summary_en="Look up the bills settled directly during treatment in other provinces.",
    cancellable=False,
)


# --- manual reimbursement (异地就医费用手工报销) ------------------------------------------


class ManualReimbursement(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "insured_province": "510000",
            "treatment_province": "440000",
            "hospital": "广州市第一人民医院",
            "admitted_on": "2024-02-03",
            "discharged_on": "2024-02-12",
            "total": "18600.00",
            "bank_card": "6222020200112233446",
        }
    )

    applicant: Applicant
    insured_province: ProvinceCode = Field(description="Province insured in / 参保地")
    treatment_province: ProvinceCode = Field(description="Province treated in / 就医地")
    hospital: str = Field(min_length=2, max_length=100, description="Hospital / 就医机构")
    admitted_on: PastDate = Field(description="Admitted or first visit / 入院（就诊）日期")
    discharged_on: PastDate | None = Field(default=None, description="Discharged / 出院日期")
    total: Money = Field(description="Total on the invoices / 票据总金额")
    bank_card: BankCard = Field(description="Card the refund is paid to / 收款银行卡")


class ManualReimbursementResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-03-20",
            "reimbursed": "11840.00",
            "rejected_items": ["自费药品"],
        }
    )

    reimbursed: Money | None = Field(default=None, description="Amount refunded / 报销金额")
    rejected_items: list[str] = Field(
        default_factory=list, description="Items the fund does not cover / 不予支付项目"
    )


MEDICAL_MANUAL_REIMBURSEMENT = ServiceItem(
    code="medical-manual-reimbursement",
    name_zh="异地就医费用手工报销",
    name_en="Manual reimbursement of treatment costs incurred elsewhere",
    department=MEDICAL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_INSURED,),
    time_limits=limits(30, 20),
    materials=(
        ID_CARD,
        material(
            "invoices",
            "医疗费用票据",
            "Medical invoices",
            elicence="medical-e-invoice",
            trust=TrustLevel.A,
        ),
        material("cost-list", "费用明细清单", "Itemised cost list", trust=TrustLevel.C),
        material(
            "discharge-summary",
            "出院小结（住院时）",
            "Discharge summary (inpatients)",
            trust=TrustLevel.C,
            required=False,
        ),
    ),
    source=STANDARD,
    request_model=ManualReimbursement,
    result_model=ManualReimbursementResult,
    summary_zh="未能直接结算的异地就医费用，向参保地申请报销。",
    summary_en="Claim back treatment costs incurred elsewhere that could not settle directly.",
)


# --- designated institution lookup (异地就医定点医疗机构查询) -----------------------------


class InstitutionQuery(Strict):
    model_config = examples(
        {
            "person": EX_PERSON,
            "provinces": ["440000"],
            "city": "广州市",
            "keyword": "人民医院",
        }
    )

    person: PersonRef = Field(description="Who asks; answers depend on the scheme / 查询人")
    provinces: list[ProvinceCode] = Field(
        min_length=1, max_length=31, description="Provinces to search / 查询省份"
    )
    city: str | None = Field(default=None, max_length=30, description="City / 城市")
    keyword: str | None = Field(default=None, max_length=50, description="Name contains / 关键字")


class DesignatedInstitution(BaseModel):
    name: str = Field(description="Institution / 机构名称")
    province: ProvinceCode
    level: str | None = Field(default=None, description="Grade, e.g. 三级甲等 / 医院等级")
    inpatient: bool = Field(description="Inpatient settlement / 住院直接结算")
    outpatient: bool = Field(description="Outpatient settlement / 门诊直接结算")


class InstitutionResult(BaseModel):
    model_config = examples(
        {
            "institutions": [
                {
                    "name": "广州市第一人民医院",
                    "province": "440000",
                    "level": "三级甲等",
                    "inpatient": True,
                    "outpatient": True,
                }
            ]
        }
    )

    institutions: list[DesignatedInstitution] = Field(
        default_factory=list, description="Found / 查询结果"
    )


DESIGNATED_INSTITUTION_LOOKUP = ServiceItem(
    code="designated-institution-lookup",
    name_zh="跨省异地就医定点医疗机构查询",
    name_en="Lookup of hospitals settling cross-province bills",
    department=MEDICAL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "provinces", "就医地", "Provinces to search", many=True),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=InstitutionQuery,
    result_model=InstitutionResult,
    summary_zh="查询可跨省直接结算的定点医疗机构。",
    summary_en="Find hospitals that settle cross-province bills directly.",
    cancellable=False,
)


# --- maternity allowance (生育津贴申领) ---------------------------------------------------


class MaternityAllowanceClaim(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_3,
            "insured_province": "440000",
            "birth_province": "510000",
            "birth_date": "2024-03-18",
            "employer": "广州市某某科技有限公司",
            "bank_card": "6222020200112233446",
        }
    )

    applicant: Applicant
    insured_province: ProvinceCode = Field(description="Province insured in / 参保地")
    birth_province: ProvinceCode = Field(description="Province of the birth / 分娩地")
    birth_date: PastDate = Field(description="Date of birth or surgery / 生育（手术）日期")
    employer: str | None = Field(default=None, max_length=100, description="Employer / 用人单位")
    bank_card: BankCard = Field(description="Card paid to / 收款银行卡")


class MaternityAllowanceResult(CaseDecision):
    model_config = examples({"decided_on": "2024-05-10", "days": 158, "amount": "42133.30"})

    days: int | None = Field(default=None, ge=0, description="Days paid / 津贴天数")
    amount: Money | None = Field(default=None, description="Allowance / 津贴金额")


MATERNITY_ALLOWANCE_CLAIM = ServiceItem(
    code="maternity-allowance-claim",
    name_zh="生育津贴申领",
    name_en="Maternity allowance claim",
    department=MEDICAL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_INSURED,),
    time_limits=limits(30, 15),
    materials=(
        ID_CARD,
        material(
            "birth-medical-certificate",
            "出生医学证明",
            "Birth medical certificate",
            elicence="birth-medical-certificate",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=MaternityAllowanceClaim,
    result_model=MaternityAllowanceResult,
    summary_zh="在外省分娩的参保职工向参保地申领生育津贴。",
    summary_en="Insured employees who gave birth in another province claim maternity "
    "allowance from the insured province.",
)


ITEMS: tuple[ServiceItem, ...] = (
    OUT_OF_PROVINCE_TREATMENT_FILING,
    OUT_OF_PROVINCE_SETTLEMENT_LOOKUP,
    MEDICAL_MANUAL_REIMBURSEMENT,
    DESIGNATED_INSTITUTION_LOOKUP,
    MATERNITY_ALLOWANCE_CLAIM,
)
