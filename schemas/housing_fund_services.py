"""Housing provident fund items for employers, and the two certificates received remotely.

The certificates are 异地代收代办: the centre where the applicant is now receives and checks
the request, and the competent centre issues the certificate (收受分离). The receiving
counter and its province are recorded by the counter terminal (``schemas._counter``), not in
the request, so the only province role is the competent one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from schemas._common import (
    Applicant,
    CaseDecision,
    CertificateDecision,
    Delivery,
    Enterprise,
    Strict,
    conflict,
)
from schemas._fields import Address, Money, PersonName, ProvinceCode, ResidentId, YearMonth
from schemas._items import (
    APPLICATION_FORM,
    BUSINESS_LICENCE,
    EX_APPLICANT,
    EX_ENTERPRISE,
    ID_CARD,
    SRC_HOUSING_FUND,
    examples,
    limits,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject

FUND = Department.housing_fund


# --- employer account opening (住房公积金单位登记开户) ------------------------------------


class EmployerAccountOpening(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "fund_province": "440000",
            "registered_address": "广东省广州市天河区体育西路1号",
            "employees": 35,
            "employer_rate": "0.12",
            "employee_rate": "0.12",
            "first_month": "2024-05",
        }
    )

    enterprise: Enterprise
    fund_province: ProvinceCode = Field(description="Province of the fund centre / 缴存地")
    registered_address: Address = Field(description="Registered address / 单位地址")
    employees: int = Field(ge=1, description="Employees to enrol / 缴存职工人数")
    employer_rate: Decimal = Field(
        ge=Decimal("0.05"),
        le=Decimal("0.12"),
        decimal_places=2,
        description="Employer rate, 5%–12% / 单位缴存比例",
    )
    employee_rate: Decimal = Field(
        ge=Decimal("0.05"),
        le=Decimal("0.12"),
        decimal_places=2,
        description="Employee rate, 5%–12% / 个人缴存比例",
    )
    first_month: YearMonth = Field(description="First contribution month / 起缴年月")


class EmployerAccountResult(CaseDecision):
    model_config = examples({"decided_on": "2024-04-26", "employer_account": "440100123456"})

    employer_account: str | None = Field(default=None, description="Employer account / 单位账号")


HOUSING_FUND_EMPLOYER_ACCOUNT_OPENING = ServiceItem(
    code="housing-fund-employer-account-opening",
    name_zh="住房公积金单位登记开户",
    name_en="Housing fund employer account opening",
    department=FUND,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(role("competent", "fund_province", "缴存地", "Province of the fund centre"),),
    time_limits=limits(3, 1),
    materials=(BUSINESS_LICENCE, APPLICATION_FORM),
    source=SRC_HOUSING_FUND,
    request_model=EmployerAccountOpening,
    result_model=EmployerAccountResult,
    summary_zh="单位在线办理住房公积金缴存登记并开设单位账户。",
    summary_en="An employer registers with the housing fund centre and opens its account online.",
)


# --- contribution changes (住房公积金单位及个人缴存信息变更) -------------------------------


class ContributionChangeKind(StrEnum):
    base = "base"  # 缴存基数调整
    rate = "rate"  # 缴存比例调整
    employer_details = "employer-details"  # 单位信息变更
    employee_details = "employee-details"  # 个人信息变更


class EmployeeChange(Strict):
    name: PersonName
    id_number: ResidentId
    new_base: Money | None = Field(default=None, description="New contribution base / 新缴存基数")


class ContributionChange(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "fund_province": "440000",
            "employer_account": "440100123456",
            "kind": "base",
            "effective_month": "2024-07",
            "employees": [
                {"name": "李四", "id_number": "440106198503150011", "new_base": "12000.00"}
            ],
        }
    )

    enterprise: Enterprise
    fund_province: ProvinceCode = Field(description="Province of the fund centre / 缴存地")
    employer_account: str = Field(max_length=30, description="Employer account / 单位账号")
    kind: ContributionChangeKind = Field(description="What changes / 变更类型")
    effective_month: YearMonth = Field(description="Effective from / 生效年月")
    new_rate: Decimal | None = Field(
        default=None,
        ge=Decimal("0.05"),
        le=Decimal("0.12"),
        decimal_places=2,
        description="New rate, 5%–12% / 新缴存比例",
    )
    employees: list[EmployeeChange] = Field(
        default_factory=list, max_length=1000, description="Per-employee changes / 职工变更明细"
    )

    @model_validator(mode="after")
    def _consistent(self) -> ContributionChange:
        if self.kind is ContributionChangeKind.rate and self.new_rate is None:
            raise conflict(
                "new_rate is required for a rate change / 比例调整须填写新比例", "new_rate"
            )
        if self.kind is ContributionChangeKind.base and not self.employees:
            raise conflict("a base change lists the employees / 基数调整须列明职工", "employees")
        return self


class ContributionChangeResult(CaseDecision):
    model_config = examples({"decided_on": "2024-06-20", "employees_changed": 1})

    employees_changed: int | None = Field(default=None, ge=0, description="Changed / 变更人数")


HOUSING_FUND_CONTRIBUTION_CHANGE = ServiceItem(
    code="housing-fund-contribution-change",
    name_zh="住房公积金单位及个人缴存信息变更",
    name_en="Housing fund contribution changes (employer and employees)",
    department=FUND,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(role("competent", "fund_province", "缴存地", "Province of the fund centre"),),
    time_limits=limits(3, 1),
    materials=(BUSINESS_LICENCE, APPLICATION_FORM),
    source=SRC_HOUSING_FUND,
    request_model=ContributionChange,
    result_model=ContributionChangeResult,
    summary_zh="单位在线调整缴存基数、比例，变更单位或职工缴存信息。",
    summary_en="An employer changes contribution bases, rates or details online.",
)


# --- certificate of contributions for a borrower (出具贷款职工住房公积金缴存使用证明) -------


class BorrowerCertificateRequest(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "fund_province": "440000",
            "loan_city": "成都市",
            "delivery": {"method": "online"},
        }
    )

    applicant: Applicant
    fund_province: ProvinceCode = Field(description="Province of the account / 缴存地")
    loan_city: str = Field(min_length=2, max_length=30, description="City of the loan / 贷款城市")
    delivery: Delivery = Field(description="How the certificate is delivered / 送达方式")


class BorrowerCertificateResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-09",
            "certificate_number": "GZGJJZM2024050900012",
            "monthly_contribution": "2400.00",
            "balance": "48230.15",
            "loan_history": False,
        }
    )

    monthly_contribution: Money | None = Field(default=None, description="Monthly / 月缴存额")
    balance: Money | None = Field(default=None, description="Balance / 账户余额")
    loan_history: bool | None = Field(default=None, description="Had a fund loan / 是否有贷款记录")


HOUSING_FUND_BORROWER_CERTIFICATE = ServiceItem(
    code="housing-fund-borrower-certificate",
    name_zh="出具贷款职工住房公积金缴存使用证明",
    name_en="Certificate of housing fund contributions for a borrower",
    department=FUND,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.counter,),
    roles=(
        role(
            "competent",
            "fund_province",
            "缴存地（出具证明）",
            "Province of the account (issues it)",
        ),
    ),
    time_limits=limits(5, 3),
    materials=(ID_CARD,),
    source=SRC_HOUSING_FUND,
    request_model=BorrowerCertificateRequest,
    result_model=BorrowerCertificateResult,
    summary_zh="在异地申请公积金贷款所需的缴存使用证明，由现所在地中心代收。",
    summary_en="The contributions certificate needed for a fund loan elsewhere, received by the "
    "local centre.",
)


# --- loan-paid-off certificate (开具住房公积金个人住房贷款全部还清证明) ----------------------


class LoanClearedRequest(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "loan_province": "440000",
            "loan_contract_number": "GZGJJ2018003456",
            "delivery": {"method": "post", "address": "四川省成都市武侯区人民南路四段1号"},
        }
    )

    applicant: Applicant
    loan_province: ProvinceCode = Field(description="Province that lent / 贷款地")
    loan_contract_number: str = Field(
        min_length=4, max_length=40, description="Loan contract number / 借款合同号"
    )
    delivery: Delivery = Field(description="How the certificate is delivered / 送达方式")


class LoanClearedResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-12",
            "certificate_number": "GZGJJJQ2024061200007",
            "cleared_on": "2024-06-05",
            "tracking_number": "EMS9876543210",
        }
    )

    cleared_on: dt.date | None = Field(default=None, description="Date cleared / 结清日期")


HOUSING_FUND_LOAN_CLEARED_CERTIFICATE = ServiceItem(
    code="housing-fund-loan-cleared-certificate",
    name_zh="开具住房公积金个人住房贷款全部还清证明",
    name_en="Certificate that a housing fund loan is paid off",
    department=FUND,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.counter,),
    roles=(
        role("competent", "loan_province", "贷款地（出具证明）", "Province that lent (issues it)"),
    ),
    time_limits=limits(5, 3),
    materials=(ID_CARD,),
    source=SRC_HOUSING_FUND,
    request_model=LoanClearedRequest,
    result_model=LoanClearedResult,
    summary_zh="贷款还清后开具结清证明，用于注销抵押等，由现所在地中心代收。",
    summary_en="A paid-off certificate, e.g. to discharge the mortgage, received by the local "
    "centre.",
)


ITEMS: tuple[ServiceItem, ...] = (
    HOUSING_FUND_EMPLOYER_ACCOUNT_OPENING,
    HOUSING_FUND_CONTRIBUTION_CHANGE,
    HOUSING_FUND_BORROWER_CERTIFICATE,
    HOUSING_FUND_LOAN_CLEARED_CERTIFICATE,
)
