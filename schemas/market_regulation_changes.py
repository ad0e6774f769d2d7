"""Market regulation (市场监管) items over an entity's life: changes, verification, closing."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from schemas._common import (
    CaseDecision,
    CertificateDecision,
    Delivery,
    Enterprise,
    Strict,
    conflict,
)
from schemas._fields import CreditCode, Money, PastDate, ProvinceCode
from schemas._items import (
    BUSINESS_LICENCE,
    EX_ENTERPRISE,
    INSTANT,
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
    "Market regulator where the entity is registered",
)


class RegistrationChangeItem(StrEnum):
    name = "name"  # 名称
    address = "address"  # 住所
    legal_representative = "legal-representative"  # 法定代表人
    registered_capital = "registered-capital"  # 注册资本
    business_scope = "business-scope"  # 经营范围
    investors = "investors"  # 股东（出资人）


class RegistrationChange(Strict):
    item: RegistrationChangeItem = Field(description="What changes / 变更事项")
    new_value: str = Field(min_length=1, max_length=2000, description="New value / 变更后内容")


class ChangeRegistration(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "registration_province": "440000",
            "changes": [{"item": "address", "new_value": "广东省广州市黄埔区科学大道1号"}],
            "resolution_date": "2024-04-30",
            "delivery": {"method": "online"},
        }
    )

    enterprise: Enterprise
    registration_province: ProvinceCode = Field(description="Province registered in / 登记地")
    changes: list[RegistrationChange] = Field(
        min_length=1, max_length=10, description="Changes / 变更事项"
    )
    resolution_date: PastDate = Field(description="Shareholders' resolution / 股东会决议日期")
    delivery: Delivery = Field(description="How the new licence is delivered / 执照领取方式")

    @model_validator(mode="after")
    def _distinct(self) -> ChangeRegistration:
        items = [change.item for change in self.changes]
        if len(set(items)) != len(items):
            raise conflict("changes: each item once / 变更事项不能重复", "changes")
        return self


class ChangeRegistrationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-06",
            "certificate_number": "91440101MA5CN1X9A2",
            "changed": ["address"],
            "elicence_id": "440000YYZZ2024050600011",
        }
    )

    changed: list[RegistrationChangeItem] = Field(
        default_factory=list, description="Changed / 已变更事项"
    )


ENTERPRISE_CHANGE_REGISTRATION = ServiceItem(
    code="enterprise-change-registration",
    name_zh="企业变更登记",
    name_en="Enterprise change registration",
    department=SAMR,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_REGISTRY,),
    time_limits=limits(3, 1),
    materials=(
        BUSINESS_LICENCE,
        material(
            "resolution",
            "股东会决议或决定",
            "Shareholders' resolution or decision",
            trust=TrustLevel.C,
        ),
    ),
    source=STANDARD,
    request_model=ChangeRegistration,
    result_model=ChangeRegistrationResult,
    summary_zh="企业异地在线办理名称、住所、法定代表人等变更登记。",
    summary_en="Register changes of name, address, legal representative and more from afar.",
)


class EntityStatus(StrEnum):
    active = "active"  # 存续（在营、开业）
    revoked = "revoked"  # 吊销
    deregistered = "deregistered"  # 注销
    moved_out = "moved-out"  # 迁出


class LicenceCheck(Strict):
    model_config = examples(
        {
            "credit_code": "91440101MA5CN1X9A2",
            "registration_province": "440000",
            "name": "广州市某某科技有限公司",
        }
    )

    credit_code: CreditCode
    registration_province: ProvinceCode = Field(description="Province registered in / 登记地")
    name: str | None = Field(default=None, max_length=100, description="Name to match / 名称")


class LicenceFound(BaseModel):
    model_config = examples(
        {
            "found": True,
            "name": "广州市某某科技有限公司",
            "status": "active",
            "legal_representative": "李*",
            "established_on": "2019-03-15",
            "registered_capital": "1000000.00",
            "name_matches": True,
        }
    )

    found: bool = Field(description="Registered there / 是否查得")
    name: str | None = Field(default=None, description="Registered name / 名称")
    status: EntityStatus | None = Field(default=None, description="Status / 登记状态")
    legal_representative: str | None = Field(
        default=None, description="Legal representative, masked / 法定代表人（脱敏）"
    )
    established_on: dt.date | None = Field(default=None, description="Established / 成立日期")
    registered_capital: Money | None = Field(default=None, description="Capital / 注册资本")
    name_matches: bool | None = Field(default=None, description="Name given matches / 名称一致")


BUSINESS_LICENCE_VERIFICATION = ServiceItem(
    code="business-licence-verification",
    name_zh="营业执照信息查询核验",
    name_en="Business licence verification",
    department=SAMR,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "registration_province", "登记地", "Province registered in"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=LicenceCheck,
    result_model=LicenceFound,
    summary_zh="按统一社会信用代码核验市场主体的登记状态。",
    summary_en="Check a market entity's registration by its credit code.",
    cancellable=False,
)


class Deregistration(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "registration_province": "440000",
            "simplified": True,
            "notice_ended_on": "2024-04-20",
            "no_debts_pledge": True,
        }
    )

    enterprise: Enterprise
    registration_province: ProvinceCode = Field(description="Province registered in / 登记地")
    simplified: bool = Field(description="Simplified deregistration / 简易注销")
    notice_ended_on: PastDate = Field(description="Public notice period ended / 公告期届满日")
    no_debts_pledge: bool = Field(description="Pledges no unpaid debts / 全体投资人承诺无债务")

    @model_validator(mode="after")
    def _pledge(self) -> Deregistration:
        if self.simplified and not self.no_debts_pledge:
            raise conflict(
                "simplified deregistration needs the pledge / 简易注销须作承诺", "no_debts_pledge"
            )
        return self


class DeregistrationResult(CaseDecision):
    model_config = examples({"decided_on": "2024-04-25", "deregistered_on": "2024-04-25"})

    deregistered_on: dt.date | None = Field(default=None, description="Deregistered / 注销日期")


ENTERPRISE_DEREGISTRATION = ServiceItem(
    code="enterprise-deregistration",
    name_zh="企业注销登记",
    name_en="Enterprise deregistration",
    department=SAMR,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_REGISTRY,),
    time_limits=limits(3, 1),
    materials=(
        BUSINESS_LICENCE,
        material(
            "pledge",
            "全体投资人承诺书",
            "Investors' pledge",
            trust=TrustLevel.D,
        ),
    ),
    source=STANDARD,
    request_model=Deregistration,
    result_model=DeregistrationResult,
    summary_zh="企业异地在线办理注销登记，符合条件的适用简易注销。",
    summary_en="Close a company from afar; eligible companies use simplified deregistration.",
)


ITEMS: tuple[ServiceItem, ...] = (
    ENTERPRISE_CHANGE_REGISTRATION,
    BUSINESS_LICENCE_VERIFICATION,
    ENTERPRISE_DEREGISTRATION,
)
