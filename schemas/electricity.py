"""Electricity (电力) items: applying online for a low-voltage connection (办电).

Decided at the State Council executive meeting of 2020-09-17: connection applications online
nationwide by the end of 2020, no approvals to wait for and no extra cost; low-voltage access
within 5 working days for residents and 25 for small and micro enterprises, and 15 for other
non-residential users by 2022.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from schemas._common import Applicant, CaseDecision, Enterprise, Strict
from schemas._fields import Address, ProvinceCode
from schemas._items import (
    BUSINESS_LICENCE,
    EX_APPLICANT,
    EX_ENTERPRISE,
    EX_ENTERPRISE_2,
    ID_CARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, FeeRule, Kind, Mode, ServiceItem, Subject, TrustLevel

POWER = Department.electricity
SOURCE = "State Council executive meeting, 2020-09-17 (getting electricity)"
NO_EXTRA_COST = FeeRule(basis_zh="办电不收取额外费用", basis_en="No extra cost for the connection")
_GRID = role("competent", "supply_province", "供电地电网企业", "Grid company where supplied")
PREMISES = material(
    "premises-proof",
    "用电地址产权证明或租赁合同",
    "Proof of title or lease of the premises",
    elicence="real-estate-title",
    trust=TrustLevel.C,
)


class SupplyPhase(StrEnum):
    single = "single"  # 单相 220V
    three = "three"  # 三相 380V


class ElectricityUsage(StrEnum):
    commercial = "commercial"  # 商业用电
    public = "public"  # 公共服务
    agricultural = "agricultural"  # 农业生产
    other = "other"


class ElectricityConnection(Strict):
    """Shared by the three connection items: where to connect and which phase."""

    supply_province: ProvinceCode = Field(description="Province supplied / 用电地")
    address: Address = Field(description="Address to connect / 用电地址")
    phase: SupplyPhase = Field(description="Phase / 供电相数")


class ConnectionResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-10",
            "customer_number": "0301234567",
            "meter_number": "1100012345678",
            "connected_on": "2024-05-10",
        }
    )

    customer_number: str | None = Field(default=None, description="Customer number / 用电户号")
    meter_number: str | None = Field(default=None, description="Meter number / 电能表编号")
    connected_on: dt.date | None = Field(default=None, description="Connected / 装表接电日期")


class ResidentialConnection(ElectricityConnection):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "supply_province": "440000",
            "address": "广东省广州市天河区体育西路1号1801房",
            "phase": "single",
            "capacity_kw": "8",
        }
    )

    applicant: Applicant
    capacity_kw: Decimal = Field(gt=0, le=100, description="Capacity, kW / 报装容量（千瓦）")


class SmallEnterpriseConnection(ElectricityConnection):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "supply_province": "440000",
            "address": "广东省广州市白云区太和镇某某路8号",
            "phase": "three",
            "capacity_kw": "100",
        }
    )

    enterprise: Enterprise
    capacity_kw: Decimal = Field(
        gt=0, le=160, description="Capacity within low-voltage access, kW / 报装容量（千瓦）"
    )


class NonResidentialConnection(ElectricityConnection):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE_2,
            "supply_province": "110000",
            "address": "北京市朝阳区建国路1号",
            "phase": "three",
            "capacity_kw": "60",
            "usage": "commercial",
        }
    )

    enterprise: Enterprise
    capacity_kw: Decimal = Field(gt=0, description="Capacity, kW / 报装容量（千瓦）")
    usage: ElectricityUsage = Field(description="Usage / 用电类别")


def _connection(
    code: str,
    name_zh: str,
    name_en: str,
    subject: Subject,
    days: int,
    request: type[ElectricityConnection],
    note: str,
    summary_zh: str,
    summary_en: str,
) -> ServiceItem:
    return ServiceItem(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        department=POWER,
        batch=2020,
        subject=subject,
        kind=Kind.application,
        modes=(Mode.online, Mode.counter),
        roles=(_GRID,),
        time_limits=limits(days, days, note),
        fee=NO_EXTRA_COST,
        materials=(ID_CARD if subject is Subject.individual else BUSINESS_LICENCE, PREMISES),
        source=SOURCE,
        request_model=request,
        result_model=ConnectionResult,
        summary_zh=summary_zh,
        summary_en=summary_en,
    )


ELECTRICITY_CONNECTION_RESIDENTIAL = _connection(
    "electricity-connection-residential",
    "居民用户低压用电报装",
    "Low-voltage connection for residents",
    Subject.individual,
    5,
    ResidentialConnection,
    "from application to power, no approvals / 全流程，无需审批",
    "居民在线申请用电，5个工作日内装表接电。",
    "Residents apply online and are connected within 5 working days.",
)
ELECTRICITY_CONNECTION_SMALL_ENTERPRISE = _connection(
    "electricity-connection-small-enterprise",
    "小微企业低压用电报装",
    "Low-voltage connection for small and micro enterprises",
    Subject.enterprise,
    25,
    SmallEnterpriseConnection,
    "from application to power / 全流程",
    "小微企业在线申请低压接入，25个工作日内接电，不收取额外费用。",
    "Small and micro enterprises apply online and are connected within 25 working days at no "
    "extra cost.",
)
ELECTRICITY_CONNECTION_NON_RESIDENTIAL = _connection(
    "electricity-connection-non-residential",
    "其他非居民用户低压用电报装",
    "Low-voltage connection for other non-residential users",
    Subject.enterprise,
    15,
    NonResidentialConnection,
    "target for 2022 / 2022年目标",
    "其他非居民低压用户在线申请用电，15个工作日内接电。",
    "Other non-residential low-voltage users apply online and are connected within 15 working "
    "days.",
)


ITEMS: tuple[ServiceItem, ...] = (
    ELECTRICITY_CONNECTION_RESIDENTIAL,
    ELECTRICITY_CONNECTION_SMALL_ENTERPRISE,
    ELECTRICITY_CONNECTION_NON_RESIDENTIAL,
)
