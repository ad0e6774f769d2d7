"""Taxation (税务) items: tax records, certificates, cross-region operation and migration."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, model_validator

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CaseDecision,
    Enterprise,
    IssuedDocument,
    PersonRef,
    Strict,
    conflict,
)
from schemas._fields import Address, BankCard, Money, PastDate, ProvinceCode, YearMonth
from schemas._items import (
    BUSINESS_LICENCE,
    EX_APPLICANT,
    EX_ENTERPRISE,
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

TAX = Department.taxation


class IncomeTaxRecordQuery(Strict):
    model_config = examples(
        {
            "person": EX_PERSON,
            "provinces": ["110000", "440000"],
            "from_month": "2023-01",
            "to_month": "2023-12",
        }
    )

    person: PersonRef
    provinces: list[ProvinceCode] = Field(
        min_length=1, max_length=31, description="Provinces taxed in / 纳税地"
    )
    from_month: YearMonth = Field(description="First month / 起始所属期")
    to_month: YearMonth = Field(description="Last month / 截止所属期")

    @model_validator(mode="after")
    def _months(self) -> IncomeTaxRecordQuery:
        if self.from_month > self.to_month:
            raise conflict(
                "from_month is after to_month / 起始年月晚于截止年月", "from_month", "to_month"
            )
        return self


class IncomeTaxRecord(BaseModel):
    month: YearMonth = Field(description="Tax period / 所属期")
    income_type: str = Field(description="Income item, e.g. 工资薪金 / 所得项目")
    income: Money = Field(description="Income / 收入")
    tax: Money = Field(description="Tax paid / 已缴税额")
    withholder: str | None = Field(default=None, description="Withholding agent / 扣缴义务人")


class IncomeTaxRecordResult(IssuedDocument):
    model_config = examples(
        {
            "document_number": "SWJL202405060001234",
            "issued_on": "2024-05-06",
            "verification_code": "H7Y2K9",
            "records": [
                {
                    "month": "2023-01",
                    "income_type": "工资薪金",
                    "income": "18000.00",
                    "tax": "390.00",
                    "withholder": "广州市某某科技有限公司",
                }
            ],
        }
    )

    records: list[IncomeTaxRecord] = Field(default_factory=list, description="Records / 纳税记录")


INCOME_TAX_RECORD = ServiceItem(
    code="income-tax-record",
    name_zh="个人所得税纳税记录开具",
    name_en="Individual income tax payment record",
    department=TAX,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "provinces", "纳税地", "Provinces taxed in", many=True),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=IncomeTaxRecordQuery,
    result_model=IncomeTaxRecordResult,
    summary_zh="开具可验真的个人所得税纳税记录，用于购房、落户、签证等。",
    summary_en="Get a verifiable income tax record, e.g. for buying a home or a visa.",
    cancellable=False,
)


class TaxCertificateQuery(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "tax_province": "440000",
            "from_date": "2024-01-01",
            "to_date": "2024-03-31",
        }
    )

    enterprise: Enterprise
    tax_province: ProvinceCode = Field(
        description="Province of the tax office / 主管税务机关所在地"
    )
    from_date: PastDate = Field(description="Paid from / 缴款日期起")
    to_date: PastDate = Field(description="Paid to / 缴款日期止")


class TaxPaid(BaseModel):
    tax_type: str = Field(description="Tax, e.g. 增值税 / 税种")
    amount: Money = Field(description="Amount / 实缴金额")
    paid_on: dt.date = Field(description="Date paid / 缴款日期")


class TaxCertificateResult(IssuedDocument):
    model_config = examples(
        {
            "document_number": "(2024)粤电证0012345",
            "issued_on": "2024-04-02",
            "verification_code": "P3M8Q1",
            "taxes": [{"tax_type": "增值税", "amount": "35620.18", "paid_on": "2024-01-15"}],
        }
    )

    taxes: list[TaxPaid] = Field(default_factory=list, description="Taxes paid / 完税明细")


TAX_PAYMENT_CERTIFICATE = ServiceItem(
    code="tax-payment-certificate",
    name_zh="税收完税证明开具",
    name_en="Tax payment certificate",
    department=TAX,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "tax_province", "主管税务机关所在地", "Province of the tax office"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=TaxCertificateQuery,
    result_model=TaxCertificateResult,
    summary_zh="纳税人在线开具税收完税证明。",
    summary_en="Taxpayers get a certificate of taxes paid online.",
    cancellable=False,
)


class CrossRegionReport(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "registration_province": "440000",
            "operating_province": "430000",
            "operating_address": "湖南省长沙市岳麓区某某项目工地",
            "contract_name": "某某办公楼装修工程",
            "contract_amount": "2600000.00",
            "starts_on": "2024-06-01",
            "ends_on": "2024-11-30",
        }
    )

    enterprise: Enterprise
    registration_province: ProvinceCode = Field(description="Province registered in / 机构所在地")
    operating_province: ProvinceCode = Field(description="Province operated in / 经营地")
    operating_address: Address = Field(description="Where it operates / 经营地址")
    contract_name: str = Field(min_length=2, max_length=100, description="Contract / 合同名称")
    contract_amount: Money = Field(description="Contract amount / 合同金额")
    starts_on: dt.date = Field(description="Operation starts / 经营期限起")
    ends_on: dt.date = Field(description="Operation ends / 经营期限止")

    @model_validator(mode="after")
    def _check(self) -> CrossRegionReport:
        if self.registration_province == self.operating_province:
            raise conflict(
                "operating_province equals registration_province / 经营地与机构所在地相同",
                "registration_province",
                "operating_province",
            )
        if self.ends_on < self.starts_on:
            raise conflict("ends_on is before starts_on / 经营期限有误", "starts_on", "ends_on")
        return self


class CrossRegionReportResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-28",
            "report_number": "44012024052800123",
            "valid_until": "2024-11-30",
        }
    )

    report_number: str | None = Field(default=None, description="Report number / 报告表编号")
    valid_until: dt.date | None = Field(default=None, description="Valid until / 有效期至")


CROSS_REGION_TAX_REPORT = ServiceItem(
    code="cross-region-tax-report",
    name_zh="跨区域涉税事项报告",
    name_en="Report on temporary operation in another region",
    department=TAX,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "registration_province",
            "机构所在地税务机关",
            "Tax office where the enterprise is registered",
        ),
    ),
    time_limits=limits(None, 0, "filed online at once / 即时办结"),
    materials=(BUSINESS_LICENCE,),
    source=STANDARD,
    request_model=CrossRegionReport,
    result_model=CrossRegionReportResult,
    summary_zh="到外省临时从事经营活动前在线填报跨区域涉税事项报告，经营地自动接收。",
    summary_en="Report online before operating temporarily in another province; the operating "
    "place receives it automatically.",
)


class Migration(BetweenProvinces):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "origin_province": "440000",
            "destination_province": "510000",
            "new_address": "四川省成都市高新区天府大道北段1号",
            "invoices_cleared": True,
        }
    )

    enterprise: Enterprise
    new_address: Address = Field(description="New registered address / 迁入地住所")
    invoices_cleared: bool = Field(description="Unused invoices cancelled / 已缴销空白发票")

    @model_validator(mode="after")
    def _invoices(self) -> Migration:
        if not self.invoices_cleared:
            raise conflict(
                "cancel unused invoices before migrating / 须先缴销空白发票", "invoices_cleared"
            )
        return self


class MigrationResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-07-03",
            "new_tax_office": "国家税务总局成都高新技术产业开发区税务局",
            "migrated_on": "2024-07-03",
        }
    )

    new_tax_office: str | None = Field(
        default=None, description="New tax office / 迁入地主管税务机关"
    )
    migrated_on: dt.date | None = Field(default=None, description="Migrated / 迁移日期")


TAX_REGISTRATION_MIGRATION = ServiceItem(
    code="tax-registration-migration",
    name_zh="纳税人跨省迁移",
    name_en="Taxpayer migration to another province",
    department=TAX,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.joint),
    roles=(
        # The origin settles all taxes and releases the taxpayer first; after that the
        # taxpayer has no tax office at the origin, so the destination must take it over.
        role(
            "origin",
            "origin_province",
            "迁出地税务机关（清税迁出）",
            "Move-out tax office (settles and releases)",
            order=0,
            pivot=True,
        ),
        role(
            "destination",
            "destination_province",
            "迁入地税务机关（迁入登记）",
            "Move-in tax office (registers)",
            order=1,
        ),
    ),
    time_limits=limits(10, 3),
    materials=(BUSINESS_LICENCE,),
    source=STANDARD,
    request_model=Migration,
    result_model=MigrationResult,
    summary_zh="企业跨省迁移住所，迁出地清税后税务信息自动迁入新址。",
    summary_en="When an enterprise moves province, the origin settles its taxes and its records "
    "move to the new place.",
)


class AnnualSettlement(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "settlement_province": "440000",
            "year": 2023,
            "total_income": "216000.00",
            "tax_withheld": "9480.00",
            "refund_card": "6222020200112233446",
        }
    )

    applicant: Applicant
    settlement_province: ProvinceCode = Field(
        description="Province of the main employer or residence / 汇算地（任职受雇单位或居住地）"
    )
    year: int = Field(ge=2019, le=2100, description="Tax year / 纳税年度")
    total_income: Money = Field(description="Comprehensive income / 综合所得收入额")
    tax_withheld: Money = Field(description="Tax withheld in the year / 已预缴税额")
    refund_card: BankCard | None = Field(default=None, description="Card for a refund / 退税银行卡")


class AnnualSettlementResult(CaseDecision):
    model_config = examples({"decided_on": "2024-04-08", "refund": "1260.00", "tax_due": "0.00"})

    refund: Money | None = Field(default=None, description="Refund / 应退税额")
    tax_due: Money | None = Field(default=None, description="Tax still due / 应补税额")


INCOME_TAX_ANNUAL_SETTLEMENT = ServiceItem(
    code="income-tax-annual-settlement",
    name_zh="个人所得税综合所得年度汇算",
    name_en="Annual individual income tax settlement",
    department=TAX,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "settlement_province",
            "汇算地主管税务机关",
            "Tax office of the settlement province",
        ),
    ),
    time_limits=limits(None, 10, "refunds after review / 审核后退税"),
    materials=(
        ID_CARD,
        material(
            "deduction-proof",
            "专项附加扣除信息",
            "Special additional deductions",
            trust=TrustLevel.D,
            required=False,
        ),
    ),
    source=STANDARD,
    request_model=AnnualSettlement,
    result_model=AnnualSettlementResult,
    summary_zh="在外省工作的纳税人在线办理综合所得年度汇算，申请退税或补税。",
    summary_en="Taxpayers working in other provinces settle their annual income tax online.",
)


ITEMS: tuple[ServiceItem, ...] = (
    INCOME_TAX_RECORD,
    TAX_PAYMENT_CERTIFICATE,
    CROSS_REGION_TAX_REPORT,
    TAX_REGISTRATION_MIGRATION,
    INCOME_TAX_ANNUAL_SETTLEMENT,
)
