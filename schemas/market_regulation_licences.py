"""Market regulation (市场监管) licences: industrial products, food, equipment operators."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas._common import (
    Applicant,
    CertificateDecision,
    Delivery,
    Enterprise,
    PersonRef,
    Strict,
)
from schemas._fields import Address, CertificateNumber, ProvinceCode
from schemas._items import (
    BUSINESS_LICENCE,
    EX_APPLICANT,
    EX_ENTERPRISE,
    ID_CARD,
    PHOTO,
    SRC_2021,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

SAMR = Department.market_regulation


class LicenceAction(StrEnum):
    new = "new"  # 发证
    renewal = "renewal"  # 延续
    change = "change"  # 变更


# --- industrial product production licence (工业产品生产许可证) ---------------------------


class ProductionLicence(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "production_province": "440000",
            "action": "new",
            "products": ["电线电缆"],
            "production_address": "广东省佛山市顺德区某某工业园1号",
            "pledge_signed": True,
        }
    )

    enterprise: Enterprise
    production_province: ProvinceCode = Field(description="Province of the plant / 生产地")
    action: LicenceAction = Field(description="New, renewal or change / 申请类型")
    products: list[str] = Field(
        min_length=1, max_length=20, description="Product categories in the catalogue / 产品单元"
    )
    production_address: Address = Field(description="Plant address / 生产地址")
    pledge_signed: bool = Field(
        description="Signed the pledge on meeting the conditions / 已签署承诺书"
    )


class ProductionLicenceResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-14",
            "certificate_number": "(粤)XK06-001-01234",
            "valid_until": "2029-06-13",
            "elicence_id": "440000GYCP2024061400007",
        }
    )


INDUSTRIAL_PRODUCT_PRODUCTION_LICENCE = ServiceItem(
    code="industrial-product-production-licence",
    name_zh="工业产品生产许可证",
    name_en="Industrial product production licence",
    department=SAMR,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "production_province",
            "生产地省级市场监管部门",
            "Provincial market regulator where the plant is",
        ),
    ),
    time_limits=limits(20, 10),
    materials=(
        BUSINESS_LICENCE,
        material(
            "pledge",
            "符合发证条件的承诺书",
            "Pledge of meeting the licence conditions",
            trust=TrustLevel.D,
        ),
        material(
            "test-report",
            "产品检验报告",
            "Product test report",
            trust=TrustLevel.C,
        ),
    ),
    source=SRC_2021,
    request_model=ProductionLicence,
    result_model=ProductionLicenceResult,
    summary_zh="企业在线申请工业产品生产许可证的发证、延续和变更。",
    summary_en="Apply online for, renew or change an industrial product production licence.",
)


# --- food business licence (食品经营许可) -------------------------------------------------


class FoodBusinessLicence(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "premises_province": "510000",
            "action": "new",
            "premises_address": "四川省成都市锦江区春熙路1号",
            "categories": ["预包装食品销售"],
            "food_safety_manager": {"name": "王芳", "id_number": "510107199007040023"},
        }
    )

    enterprise: Enterprise
    premises_province: ProvinceCode = Field(description="Province of the premises / 经营场所地")
    action: LicenceAction = Field(description="New, renewal or change / 申请类型")
    premises_address: Address = Field(description="Premises / 经营场所")
    categories: list[str] = Field(
        min_length=1, max_length=20, description="Business items / 经营项目"
    )
    food_safety_manager: PersonRef | None = Field(
        default=None, description="Food safety manager / 食品安全管理人员"
    )


class FoodBusinessLicenceResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-24",
            "certificate_number": "JY15101040012345",
            "valid_until": "2029-05-23",
        }
    )


FOOD_BUSINESS_LICENCE = ServiceItem(
    code="food-business-licence",
    name_zh="食品经营许可",
    name_en="Food business licence",
    department=SAMR,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "premises_province",
            "经营场所所在地市场监管部门",
            "Market regulator where the premises are",
        ),
    ),
    time_limits=limits(20, 10),
    materials=(
        BUSINESS_LICENCE,
        material(
            "layout",
            "经营设施布局和操作流程",
            "Layout and process description",
            trust=TrustLevel.D,
        ),
    ),
    source=STANDARD,
    request_model=FoodBusinessLicence,
    result_model=FoodBusinessLicenceResult,
    summary_zh="外省企业在经营场所所在地在线申请食品经营许可。",
    summary_en="Enterprises from other provinces apply online for a food business licence where "
    "they trade.",
)


# --- special equipment operator certificate (特种设备作业人员证复审、换证) ------------------


class OperatorCertificateRenewal(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "issuing_province": "320000",
            "certificate_number": "11010519491231002X",
            "operations": ["N1"],
            "employer": "广州市某某科技有限公司",
            "delivery": {"method": "online"},
        }
    )

    applicant: Applicant
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")
    certificate_number: CertificateNumber = Field(description="Certificate number / 证书编号")
    operations: list[str] = Field(
        min_length=1,
        max_length=10,
        description="Operation codes, e.g. N1 (forklift) / 作业项目代号",
    )
    employer: str | None = Field(default=None, max_length=100, description="Employer / 用人单位")
    delivery: Delivery = Field(description="How it is delivered / 送达方式")


class OperatorCertificateResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-03",
            "certificate_number": "11010519491231002X",
            "valid_until": "2028-06-02",
        }
    )


SPECIAL_EQUIPMENT_OPERATOR_RENEWAL = ServiceItem(
    code="special-equipment-operator-renewal",
    name_zh="特种设备作业人员证复审",
    name_en="Special equipment operator certificate renewal",
    department=SAMR,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=limits(20, 10),
    materials=(ID_CARD, PHOTO),
    source=STANDARD,
    request_model=OperatorCertificateRenewal,
    result_model=OperatorCertificateResult,
    summary_zh="叉车、锅炉等特种设备作业人员在工作地办理证书复审。",
    summary_en="Forklift, boiler and other special equipment operators renew their "
    "certificates where they work.",
)


ITEMS: tuple[ServiceItem, ...] = (
    INDUSTRIAL_PRODUCT_PRODUCTION_LICENCE,
    FOOD_BUSINESS_LICENCE,
    SPECIAL_EQUIPMENT_OPERATOR_RENEWAL,
)
