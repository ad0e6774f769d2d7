"""Housing provident fund (住房公积金) items for individuals: records, withdrawals, loans.

Provinces route these through the ministry's housing fund platform; some centres process
once a day (T+1), which the promised limits allow for.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from schemas._common import Applicant, CaseDecision, PersonRef, Strict, conflict
from schemas._fields import Address, BankCard, Money, PastDate, ProvinceCode, YearMonth
from schemas._items import (
    EX_APPLICANT,
    EX_PERSON,
    ID_CARD,
    INSTANT,
    SRC_2020,
    SRC_2021,
    SRC_HOUSING_FUND,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

FUND = Department.housing_fund


class AccountState(StrEnum):
    active = "active"  # 正常
    sealed = "sealed"  # 封存
    closed = "closed"  # 销户


# --- records lookup (个人住房公积金缴存贷款等信息查询) -----------------------------------


class FundRecordsQuery(Strict):
    model_config = examples({"person": EX_PERSON, "provinces": ["440000", "510000"]})

    person: PersonRef
    provinces: list[ProvinceCode] = Field(
        min_length=1, max_length=31, description="Provinces to ask / 查询省份"
    )


class FundAccount(BaseModel):
    province: ProvinceCode
    centre: str = Field(description="Fund management centre / 公积金中心")
    state: AccountState = Field(description="Account state / 账户状态")
    balance: Money = Field(description="Balance / 账户余额")
    monthly_contribution: Money | None = Field(default=None, description="Monthly total / 月缴存额")
    paid_up_to: YearMonth | None = Field(default=None, description="Paid up to / 缴至年月")
    loan_outstanding: Money | None = Field(
        default=None, description="Loan principal left / 贷款余额"
    )


class FundRecordsResult(BaseModel):
    model_config = examples(
        {
            "accounts": [
                {
                    "province": "440000",
                    "centre": "广州住房公积金管理中心",
                    "state": "active",
                    "balance": "48230.15",
                    "monthly_contribution": "2400.00",
                    "paid_up_to": "2024-05",
                    "loan_outstanding": None,
                }
            ]
        }
    )

    accounts: list[FundAccount] = Field(default_factory=list, description="Accounts / 账户信息")


HOUSING_FUND_RECORDS = ServiceItem(
    code="housing-fund-records",
    name_zh="个人住房公积金缴存贷款等信息查询",
    name_en="Housing fund contribution and loan records lookup",
    department=FUND,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online,),
    roles=(role("target", "provinces", "缴存地", "Provinces with an account", many=True),),
    time_limits=INSTANT,
    source=SRC_HOUSING_FUND,
    request_model=FundRecordsQuery,
    result_model=FundRecordsResult,
    summary_zh="查询本人在各地的住房公积金缴存、贷款信息。",
    summary_en="Look up one's housing fund accounts and loans in one or more provinces.",
    cancellable=False,
)


# --- withdrawal on retirement (正常退休提取住房公积金) ------------------------------------


class RetirementWithdrawal(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "fund_province": "510000",
            "retired_on": "2024-01-31",
            "bank_card": "6222020200112233446",
        }
    )

    applicant: Applicant
    fund_province: ProvinceCode = Field(description="Province of the account / 缴存地")
    account_number: str | None = Field(
        default=None, max_length=30, description="Fund account number / 个人公积金账号"
    )
    retired_on: PastDate = Field(description="Retirement date / 退休日期")
    bank_card: BankCard = Field(description="Card the balance is paid to / 收款银行卡")


class WithdrawalResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-02-06",
            "withdrawn": "86520.33",
            "account_closed": True,
        }
    )

    withdrawn: Money | None = Field(default=None, description="Amount paid out / 提取金额")
    account_closed: bool | None = Field(default=None, description="Account closed / 是否销户")


HOUSING_FUND_RETIREMENT_WITHDRAWAL = ServiceItem(
    code="housing-fund-retirement-withdrawal",
    name_zh="正常退休提取住房公积金",
    name_en="Housing fund withdrawal on retirement",
    department=FUND,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(role("competent", "fund_province", "缴存地", "Province of the account"),),
    time_limits=limits(3, 1, "T+1 at some centres / 部分中心次日处理"),
    materials=(
        ID_CARD,
        material(
            "retirement-proof",
            "退休证明（可通过数据共享核验）",
            "Proof of retirement (verifiable through data sharing)",
            elicence="retirement-certificate",
            trust=TrustLevel.A,
            required=False,
        ),
    ),
    source=SRC_2020,
    request_model=RetirementWithdrawal,
    result_model=WithdrawalResult,
    summary_zh="退休后在线提取住房公积金账户余额并销户。",
    summary_en="On retirement, withdraw the housing fund balance online and close the account.",
)


# --- withdrawal for a home purchase (购房提取住房公积金) ----------------------------------


class PurchaseWithdrawal(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "fund_province": "440000",
            "property_province": "510000",
            "property_address": "四川省成都市武侯区人民南路四段1号",
            "contract_number": "CD2024001234",
            "price": "1280000.00",
            "bank_card": "6222020200112233446",
        }
    )

    applicant: Applicant
    fund_province: ProvinceCode = Field(description="Province of the account / 缴存地")
    property_province: ProvinceCode = Field(description="Province of the home / 购房地")
    property_address: Address = Field(description="Address of the home / 房屋坐落")
    contract_number: str = Field(
        min_length=4, max_length=40, description="Purchase contract or deed number / 购房合同号"
    )
    price: Money = Field(description="Purchase price / 购房总价")
    bank_card: BankCard = Field(description="Card paid to / 收款银行卡")

    @model_validator(mode="after")
    def _two_provinces(self) -> PurchaseWithdrawal:
        if self.fund_province == self.property_province:
            raise conflict(
                "property_province equals fund_province / 购房地与缴存地相同",
                "property_province",
                "fund_province",
            )
        return self


HOUSING_FUND_PURCHASE_WITHDRAWAL = ServiceItem(
    code="housing-fund-purchase-withdrawal",
    name_zh="购房提取住房公积金",
    name_en="Housing fund withdrawal for a home purchase",
    department=FUND,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.joint,),
    roles=(
        # The home's province confirms the purchase from its contract and registration
        # records; once the fund province has paid out, the money cannot be recalled.
        role(
            "destination",
            "property_province",
            "购房地（核验购房信息）",
            "Province of the home (confirms the purchase)",
            order=0,
        ),
        role(
            "origin",
            "fund_province",
            "缴存地（审核并支付）",
            "Province of the account (approves and pays)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(5, 3),
    materials=(
        ID_CARD,
        material(
            "purchase-contract",
            "购房合同或不动产权证书",
            "Purchase contract or title certificate",
            elicence="real-estate-title",
            trust=TrustLevel.A,
        ),
        material(
            "purchase-invoice",
            "购房发票",
            "Purchase invoice",
            elicence="e-invoice",
            trust=TrustLevel.A,
            required=False,
        ),
    ),
    source=SRC_2021,
    request_model=PurchaseWithdrawal,
    result_model=WithdrawalResult,
    summary_zh="在缴存地以外购房的职工提取住房公积金，两地联合核验。",
    summary_en="Withdraw housing fund for a home bought in another province; both provinces check.",
)


# --- early loan payoff (提前还清住房公积金贷款) ------------------------------------------


class RepaymentSource(StrEnum):
    bank = "bank"  # 银行卡还款
    fund_account = "fund-account"  # 公积金账户余额冲还


class EarlyRepayment(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "loan_province": "440000",
            "loan_contract_number": "GZGJJ2018003456",
            "full": True,
            "source": "bank",
            "bank_card": "6222020200112233446",
        }
    )

    applicant: Applicant
    loan_province: ProvinceCode = Field(description="Province that lent / 贷款地")
    loan_contract_number: str = Field(
        min_length=4, max_length=40, description="Loan contract number / 借款合同号"
    )
    full: bool = Field(default=True, description="Pay off in full / 是否全部还清")
    amount: Money | None = Field(default=None, description="Amount if partial / 部分提前还款金额")
    source: RepaymentSource = Field(description="Paid from / 还款资金来源")
    bank_card: BankCard | None = Field(default=None, description="Card paid from / 还款银行卡")

    @model_validator(mode="after")
    def _amount(self) -> EarlyRepayment:
        if not self.full and self.amount is None:
            raise conflict(
                "amount is required for a partial repayment / 部分还款须填写金额", "amount"
            )
        if self.source is RepaymentSource.bank and self.bank_card is None:
            raise conflict(
                "bank_card is required when paying by bank / 银行卡还款须填卡号", "bank_card"
            )
        return self


class EarlyRepaymentResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-05",
            "repaid": "153200.00",
            "principal_left": "0.00",
            "cleared": True,
        }
    )

    repaid: Money | None = Field(default=None, description="Amount repaid / 还款金额")
    principal_left: Money | None = Field(default=None, description="Principal left / 剩余本金")
    cleared: bool | None = Field(default=None, description="Loan cleared / 是否结清")


HOUSING_FUND_LOAN_EARLY_REPAYMENT = ServiceItem(
    code="housing-fund-loan-early-repayment",
    name_zh="提前还清住房公积金贷款",
    name_en="Early repayment of a housing fund loan",
    department=FUND,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(role("competent", "loan_province", "贷款地", "Province that lent"),),
    time_limits=limits(3, 1, "T+1 at some centres / 部分中心次日处理"),
    materials=(ID_CARD,),
    source=SRC_HOUSING_FUND,
    request_model=EarlyRepayment,
    result_model=EarlyRepaymentResult,
    summary_zh="在线提前部分或全部偿还住房公积金贷款。",
    summary_en="Repay a housing fund loan early, in part or in full, online.",
)


ITEMS: tuple[ServiceItem, ...] = (
    HOUSING_FUND_RECORDS,
    HOUSING_FUND_RETIREMENT_WITHDRAWAL,
    HOUSING_FUND_PURCHASE_WITHDRAWAL,
    HOUSING_FUND_LOAN_EARLY_REPAYMENT,
)
