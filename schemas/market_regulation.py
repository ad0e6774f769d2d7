"""Market regulation (市场监管) registration of new market entities (市场主体登记注册).

Under 国办发〔2020〕35号 "enterprise" includes individual businesses and farmers' cooperatives,
so all of these are enterprise items even when a person files them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from schemas._common import (
    Applicant,
    CaseDecision,
    CertificateDecision,
    Delivery,
    Enterprise,
    PersonRef,
    Strict,
    conflict,
)
from schemas._fields import Address, CreditCode, Money, PositiveMoney, ProvinceCode
from schemas._items import (
    BUSINESS_LICENCE,
    EX_APPLICANT,
    EX_APPLICANT_2,
    EX_ENTERPRISE_2,
    EX_PERSON,
    ID_CARD,
    SRC_2020,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

SAMR = Department.market_regulation
_REGISTRY = role(
    "competent",
    "registration_province",
    "登记地市场监管部门",
    "Market regulator where the entity registers",
)
ARTICLES = material("articles", "公司章程", "Articles of association", trust=TrustLevel.D)
PREMISES = material(
    "premises",
    "住所（经营场所）使用证明或承诺",
    "Proof of (or pledge on) premises",
    elicence="real-estate-title",
    trust=TrustLevel.D,
)


class EntityType(StrEnum):
    limited_company = "limited-company"  # 有限责任公司
    joint_stock = "joint-stock"  # 股份有限公司
    sole_proprietorship = "sole-proprietorship"  # 个人独资企业
    partnership = "partnership"  # 合伙企业


class Investor(Strict):
    """A shareholder or partner: a person or an entity, never both."""

    person: PersonRef | None = Field(default=None, description="Natural person / 自然人股东")
    entity_name: str | None = Field(default=None, max_length=100, description="Entity / 法人股东")
    entity_credit_code: CreditCode | None = Field(
        default=None, description="Entity's credit code / 法人股东统一社会信用代码"
    )
    subscribed: PositiveMoney = Field(description="Subscribed capital / 认缴出资额")

    @model_validator(mode="after")
    def _one_kind(self) -> Investor:
        if (self.person is None) == (self.entity_credit_code is None):
            raise conflict(
                "give either person or entity_credit_code / 自然人或法人二选一",
                "person",
                "entity_credit_code",
            )
        if self.entity_credit_code and not self.entity_name:
            raise conflict(
                "entity_name is required with entity_credit_code / 须填写法人名称", "entity_name"
            )
        return self


class Establishment(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "registration_province": "440000",
            "name": "广州某某信息技术有限公司",
            "entity_type": "limited-company",
            "registered_capital": "1000000.00",
            "legal_representative": EX_PERSON,
            "investors": [
                {"person": EX_PERSON, "subscribed": "600000.00"},
                {
                    "entity_name": "北京某某商贸有限公司",
                    "entity_credit_code": "91110000600037341L",
                    "subscribed": "400000.00",
                },
            ],
            "address": "广东省广州市天河区体育西路1号",
            "business_scope": "软件开发；信息技术咨询服务",
            "delivery": {"method": "online"},
        }
    )

    applicant: Applicant = Field(description="Person filing / 申请人（经办人）")
    registration_province: ProvinceCode = Field(description="Province registered in / 登记地")
    name: str = Field(min_length=4, max_length=100, description="Proposed name / 拟设名称")
    entity_type: EntityType = Field(description="Entity type / 企业类型")
    registered_capital: Money = Field(description="Registered capital / 注册资本")
    legal_representative: PersonRef = Field(description="Legal representative / 法定代表人")
    investors: list[Investor] = Field(min_length=1, description="Investors / 股东（出资人）")
    address: Address = Field(description="Domicile / 住所")
    business_scope: str = Field(min_length=2, max_length=2000, description="Scope / 经营范围")
    delivery: Delivery = Field(description="How the licence is delivered / 执照领取方式")

    @model_validator(mode="after")
    def _capital(self) -> Establishment:
        if sum(i.subscribed for i in self.investors) != self.registered_capital:
            raise conflict(
                "subscriptions do not add up to the registered capital"
                " / 认缴出资之和不等于注册资本",
                "registered_capital",
                "investors",
            )
        return self


class EstablishmentResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-08",
            "credit_code": "91440101MA5CN1X9A2",
            "certificate_number": "91440101MA5CN1X9A2",
            "elicence_id": "440000YYZZ2024050800001",
            "established_on": "2024-05-08",
        }
    )

    credit_code: str | None = Field(
        default=None, description="Credit code assigned / 统一社会信用代码"
    )
    established_on: dt.date | None = Field(default=None, description="Established / 成立日期")


ENTERPRISE_ESTABLISHMENT = ServiceItem(
    code="enterprise-establishment",
    name_zh="内资企业设立登记",
    name_en="Domestic enterprise establishment registration",
    department=SAMR,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_REGISTRY,),
    time_limits=limits(3, 1),
    materials=(ID_CARD, ARTICLES, PREMISES),
    source=SRC_2020,
    request_model=Establishment,
    result_model=EstablishmentResult,
    summary_zh="投资人异地在线办理企业设立登记，领取电子营业执照。",
    summary_en="Investors register a new company in another province online and get an "
    "electronic business licence.",
)


class BranchEstablishment(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE_2,
            "branch_province": "440000",
            "branch_name": "北京某某商贸有限公司广州分公司",
            "principal": {"name": "李四", "id_number": "440106198503150011"},
            "address": "广东省广州市天河区体育西路1号",
            "business_scope": "日用百货销售",
            "delivery": {"method": "online"},
        }
    )

    enterprise: Enterprise = Field(description="Parent enterprise / 隶属企业")
    branch_province: ProvinceCode = Field(description="Province of the branch / 分支机构所在地")
    branch_name: str = Field(min_length=4, max_length=100, description="Branch name / 分支机构名称")
    principal: PersonRef = Field(description="Person in charge / 负责人")
    address: Address = Field(description="Business premises / 营业场所")
    business_scope: str = Field(min_length=2, max_length=2000, description="Scope / 经营范围")
    delivery: Delivery = Field(description="How the licence is delivered / 执照领取方式")


class BranchEstablishmentResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-10",
            "branch_credit_code": "91440106MA59AB2C1U",
            "elicence_id": "440000YYZZ2024051000002",
        }
    )

    branch_credit_code: str | None = Field(
        default=None, description="Branch credit code / 分支机构统一社会信用代码"
    )


BRANCH_ESTABLISHMENT = ServiceItem(
    code="branch-establishment",
    name_zh="内资企业分支机构设立登记",
    name_en="Branch establishment registration",
    department=SAMR,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "branch_province",
            "分支机构所在地市场监管部门",
            "Market regulator where the branch is",
        ),
    ),
    time_limits=limits(3, 1),
    materials=(BUSINESS_LICENCE, ID_CARD, PREMISES),
    source=SRC_2020,
    request_model=BranchEstablishment,
    result_model=BranchEstablishmentResult,
    summary_zh="企业在外省设立分公司，无需到分公司所在地现场办理。",
    summary_en="An enterprise registers a branch in another province without going there.",
)


class NameReservation(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "registration_province": "440000",
            "names": ["广州某某信息技术有限公司", "广州某某数字科技有限公司"],
            "industry": "软件和信息技术服务业",
        }
    )

    applicant: Applicant = Field(description="Person filing / 申请人")
    registration_province: ProvinceCode = Field(description="Province registered in / 登记地")
    names: list[str] = Field(
        min_length=1, max_length=5, description="Names in preference / 备选名称"
    )
    industry: str = Field(min_length=2, max_length=50, description="Industry / 行业表述")


class NameReservationResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-06",
            "reserved_name": "广州某某信息技术有限公司",
            "reserved_until": "2024-07-05",
        }
    )

    reserved_name: str | None = Field(default=None, description="Name kept / 保留名称")
    reserved_until: dt.date | None = Field(default=None, description="Kept until / 保留期至")


ENTERPRISE_NAME_RESERVATION = ServiceItem(
    code="enterprise-name-reservation",
    name_zh="企业名称自主申报",
    name_en="Enterprise name declaration and reservation",
    department=SAMR,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(_REGISTRY,),
    time_limits=limits(None, 0, "checked at once / 即时比对"),
    materials=(ID_CARD,),
    source=STANDARD,
    request_model=NameReservation,
    result_model=NameReservationResult,
    summary_zh="设立企业前在线自主申报企业名称，系统即时比对并保留。",
    summary_en="Declare a company name online before registering; it is checked and kept.",
)


class IndividualBusiness(Strict):
    model_config = examples(
        {
            "operator": EX_APPLICANT_2,
            "registration_province": "440000",
            "trade_name": "李四便利店",
            "address": "广东省广州市天河区体育西路1号",
            "business_scope": "日用百货零售",
            "family_run": False,
            "delivery": {"method": "online"},
        }
    )

    operator: Applicant = Field(description="Operator / 经营者")
    registration_province: ProvinceCode = Field(description="Province registered in / 登记地")
    trade_name: str | None = Field(default=None, max_length=60, description="Trade name / 字号名称")
    address: Address = Field(description="Business premises / 经营场所")
    business_scope: str = Field(min_length=2, max_length=1000, description="Scope / 经营范围")
    family_run: bool = Field(default=False, description="Run by a family / 家庭经营")
    delivery: Delivery = Field(description="How the licence is delivered / 执照领取方式")


class IndividualBusinessResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-07",
            "credit_code": "92440106MA5D1HN236",
            "elicence_id": "440000YYZZ2024050700003",
        }
    )

    credit_code: str | None = Field(
        default=None, description="Credit code assigned / 统一社会信用代码"
    )


INDIVIDUAL_BUSINESS_REGISTRATION = ServiceItem(
    code="individual-business-registration",
    name_zh="个体工商户设立登记",
    name_en="Individual business registration",
    department=SAMR,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_REGISTRY,),
    time_limits=limits(3, 1),
    materials=(ID_CARD, PREMISES),
    source=STANDARD,
    request_model=IndividualBusiness,
    result_model=IndividualBusinessResult,
    summary_zh="外省户籍人员在经营地登记个体工商户。",
    summary_en="People from other provinces register an individual business where they work.",
)


ITEMS: tuple[ServiceItem, ...] = (
    ENTERPRISE_ESTABLISHMENT,
    BRANCH_ESTABLISHMENT,
    ENTERPRISE_NAME_RESERVATION,
    INDIVIDUAL_BUSINESS_REGISTRATION,
)
