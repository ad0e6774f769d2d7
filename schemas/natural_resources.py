"""Natural resources (自然资源) items: real estate registration (不动产登记) from afar.

The Interim Regulations on Real Estate Registration allow 30 working days; registries promise
far less, mortgages within a few days.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from schemas._common import (
    Applicant,
    CaseDecision,
    CertificateDecision,
    PersonRef,
    Strict,
    conflict,
)
from schemas._fields import (
    Address,
    CertificateNumber,
    CreditCode,
    Money,
    PastDate,
    PositiveMoney,
    ProvinceCode,
)
from schemas._items import (
    EX_APPLICANT,
    EX_APPLICANT_2,
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

LAND = Department.natural_resources
_REGISTRY = role(
    "competent", "property_province", "不动产所在地登记机构", "Registry where the property is"
)
TITLE = material(
    "title",
    "不动产权证书",
    "Real estate title certificate",
    elicence="real-estate-title",
    trust=TrustLevel.A,
)


class MortgageType(StrEnum):
    general = "general"  # 一般抵押
    maximum = "maximum"  # 最高额抵押


class MortgageRegistration(Strict):
    model_config = examples(
        {
            "mortgagor": EX_APPLICANT,
            "property_province": "440000",
            "property_address": "广东省广州市天河区体育西路1号1801房",
            "title_number": "粤(2020)广州市不动产权第0123456号",
            "mortgagee": "中国某某银行股份有限公司广州分行",
            "mortgagee_credit_code": "91440101MA5CN1X9A2",
            "mortgage_type": "general",
            "secured_amount": "1200000.00",
            "term_start": "2024-06-01",
            "term_end": "2054-05-31",
        }
    )

    mortgagor: Applicant = Field(description="Owner who mortgages / 抵押人")
    property_province: ProvinceCode = Field(description="Province of the property / 不动产所在地")
    property_address: Address = Field(description="Property / 不动产坐落")
    title_number: CertificateNumber = Field(description="Title certificate / 不动产权证书号")
    mortgagee: str = Field(min_length=2, max_length=100, description="Lender / 抵押权人")
    mortgagee_credit_code: CreditCode = Field(description="Lender's credit code / 抵押权人信用代码")
    mortgage_type: MortgageType = Field(description="Mortgage type / 抵押方式")
    secured_amount: PositiveMoney = Field(description="Secured amount / 被担保主债权数额")
    term_start: dt.date = Field(description="Debt term starts / 债务履行期限起")
    term_end: dt.date = Field(description="Debt term ends / 债务履行期限止")

    @model_validator(mode="after")
    def _term(self) -> MortgageRegistration:
        if self.term_end <= self.term_start:
            raise conflict(
                "term_end is not after term_start / 债务履行期限有误", "term_start", "term_end"
            )
        return self


class MortgageRegistrationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-03",
            "certificate_number": "粤(2024)广州市不动产证明第0234567号",
            "elicence_id": "440000BDCZM2024060300123",
        }
    )


REAL_ESTATE_MORTGAGE_REGISTRATION = ServiceItem(
    code="real-estate-mortgage-registration",
    name_zh="不动产抵押登记",
    name_en="Real estate mortgage registration",
    department=LAND,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_REGISTRY,),
    time_limits=limits(30, 5),
    materials=(
        ID_CARD,
        TITLE,
        material(
            "mortgage-contract",
            "抵押合同及主债权合同",
            "Mortgage and loan contracts",
            trust=TrustLevel.C,
        ),
    ),
    source=SRC_2021,
    request_model=MortgageRegistration,
    result_model=MortgageRegistrationResult,
    summary_zh="房屋在外省的，与银行在线申请不动产抵押登记，领取电子登记证明。",
    summary_en="Register a mortgage on a property in another province online with the lender.",
)


class MortgageDischarge(Strict):
    model_config = examples(
        {
            "mortgagor": EX_APPLICANT,
            "property_province": "440000",
            "registration_certificate_number": "粤(2018)广州市不动产证明第0012345号",
            "mortgagee_credit_code": "91440101MA5CN1X9A2",
            "cleared_on": "2024-06-05",
        }
    )

    mortgagor: Applicant = Field(description="Owner / 抵押人")
    property_province: ProvinceCode = Field(description="Province of the property / 不动产所在地")
    registration_certificate_number: CertificateNumber = Field(
        description="Mortgage registration certificate / 不动产登记证明号"
    )
    mortgagee_credit_code: CreditCode = Field(description="Lender's credit code / 抵押权人信用代码")
    cleared_on: PastDate = Field(description="Debt cleared / 债务清偿日期")


class MortgageDischargeResult(CaseDecision):
    model_config = examples({"decided_on": "2024-06-06", "discharged_on": "2024-06-06"})

    discharged_on: dt.date | None = Field(default=None, description="Discharged / 注销日期")


REAL_ESTATE_MORTGAGE_DISCHARGE = ServiceItem(
    code="real-estate-mortgage-discharge",
    name_zh="不动产抵押注销登记",
    name_en="Real estate mortgage discharge",
    department=LAND,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_REGISTRY,),
    time_limits=limits(30, 1),
    materials=(
        ID_CARD,
        material(
            "clearance-proof",
            "主债权消灭证明（贷款结清证明）",
            "Proof the loan is cleared",
            trust=TrustLevel.B,
        ),
    ),
    source=STANDARD,
    request_model=MortgageDischarge,
    result_model=MortgageDischargeResult,
    summary_zh="贷款还清后异地在线注销抵押登记。",
    summary_en="Discharge the mortgage online from afar once the loan is repaid.",
)


class PropertyQuery(Strict):
    model_config = examples({"person": EX_PERSON, "provinces": ["110000", "440000"]})

    person: PersonRef = Field(description="Owner asking about their own property / 权利人")
    provinces: list[ProvinceCode] = Field(
        min_length=1, max_length=31, description="Provinces to ask / 查询省份"
    )


class RegisteredProperty(BaseModel):
    province: ProvinceCode
    address: str = Field(description="Location / 坐落")
    title_number: str = Field(description="Title certificate / 不动产权证书号")
    area: float | None = Field(default=None, ge=0, description="Floor area, m² / 建筑面积")
    usage: str | None = Field(default=None, description="Usage, e.g. 住宅 / 用途")
    mortgaged: bool = Field(description="Under mortgage / 是否抵押")
    seized: bool = Field(description="Under seizure / 是否查封")


class PropertyResult(BaseModel):
    model_config = examples(
        {
            "properties": [
                {
                    "province": "440000",
                    "address": "广东省广州市天河区体育西路1号1801房",
                    "title_number": "粤(2020)广州市不动产权第0123456号",
                    "area": 89.5,
                    "usage": "住宅",
                    "mortgaged": True,
                    "seized": False,
                }
            ]
        }
    )

    properties: list[RegisteredProperty] = Field(
        default_factory=list, description="Properties / 不动产"
    )


REAL_ESTATE_RECORDS_LOOKUP = ServiceItem(
    code="real-estate-records-lookup",
    name_zh="不动产登记信息查询",
    name_en="Real estate registration records lookup",
    department=LAND,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "provinces", "不动产所在地", "Provinces asked", many=True),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=PropertyQuery,
    result_model=PropertyResult,
    summary_zh="权利人查询本人名下的不动产登记信息及抵押、查封状态。",
    summary_en="Owners look up their registered property and any mortgage or seizure.",
    cancellable=False,
)


class PropertyTransferReason(StrEnum):
    sale = "sale"  # 买卖
    gift = "gift"  # 赠与
    inheritance = "inheritance"  # 继承
    divorce = "divorce"  # 离婚析产


class TransferRegistration(Strict):
    model_config = examples(
        {
            "transferee": EX_APPLICANT_2,
            "transferor": EX_PERSON,
            "property_province": "110000",
            "title_number": "京(2015)西城区不动产权第0001234号",
            "reason": "sale",
            "price": "5800000.00",
            "unit_number": "110102001001GB00001F00010001",
        }
    )

    transferee: Applicant = Field(description="New owner / 权利人（受让方）")
    transferor: PersonRef = Field(description="Former owner / 义务人（转让方）")
    property_province: ProvinceCode = Field(description="Province of the property / 不动产所在地")
    title_number: CertificateNumber = Field(description="Title certificate / 不动产权证书号")
    unit_number: str | None = Field(
        default=None,
        pattern=r"^\d{12}[A-Z]{2}\d{5}[A-Z]\d{8}$",
        description="Real estate unit number, 28 characters / 不动产单元号",
    )
    reason: PropertyTransferReason = Field(description="Why it changes hands / 转移原因")
    price: Money | None = Field(default=None, description="Price, for a sale / 成交价")

    @model_validator(mode="after")
    def _price(self) -> TransferRegistration:
        if self.reason is PropertyTransferReason.sale and self.price is None:
            raise conflict("a sale gives its price / 买卖须填写成交价", "price")
        return self


class TransferRegistrationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-12",
            "certificate_number": "京(2024)西城区不动产权第0005678号",
            "elicence_id": "110000BDCQZ2024061200456",
        }
    )


REAL_ESTATE_TRANSFER_REGISTRATION = ServiceItem(
    code="real-estate-transfer-registration",
    name_zh="不动产转移登记",
    name_en="Real estate transfer registration",
    department=LAND,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_REGISTRY,),
    time_limits=limits(30, 5),
    materials=(
        ID_CARD,
        TITLE,
        material(
            "transfer-proof",
            "转移原因证明（买卖合同、继承公证等）",
            "Proof of the transfer (contract, inheritance deed…)",
            trust=TrustLevel.B,
        ),
        material(
            "tax-receipt",
            "完税凭证",
            "Tax receipt",
            elicence="tax-payment-certificate",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=TransferRegistration,
    result_model=TransferRegistrationResult,
    summary_zh="买卖、赠与、继承外省房产时，异地申请不动产转移登记。",
    summary_en="Register the sale, gift or inheritance of a property in another province.",
)


ITEMS: tuple[ServiceItem, ...] = (
    REAL_ESTATE_MORTGAGE_REGISTRATION,
    REAL_ESTATE_MORTGAGE_DISCHARGE,
    REAL_ESTATE_RECORDS_LOOKUP,
    REAL_ESTATE_TRANSFER_REGISTRATION,
)
