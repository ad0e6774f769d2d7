"""Ecology and environment (生态环境) items: discharge permits, EIA, hazardous waste transfer."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from schemas._common import (
    BetweenProvinces,
    CaseDecision,
    CertificateDecision,
    Enterprise,
    Strict,
)
from schemas._fields import Address, CertificateNumber, CreditCode, Money, ProvinceCode
from schemas._items import (
    BUSINESS_LICENCE,
    EX_ENTERPRISE,
    SRC_2020,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TimeLimits, TrustLevel

ENV = Department.ecology_environment
_FACILITY = role(
    "competent",
    "facility_province",
    "排污单位所在地生态环境部门",
    "Environment authority where the facility is",
)


class ManagementLevel(StrEnum):
    key = "key"  # 重点管理
    simplified = "simplified"  # 简化管理


class PermitAction(StrEnum):
    new = "new"  # 首次申请
    renewal = "renewal"  # 延续
    change = "change"  # 变更


class DischargePermit(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "facility_province": "440000",
            "action": "new",
            "facility_address": "广东省佛山市顺德区某某工业园1号",
            "industry_code": "C3360",
            "level": "simplified",
            "pollutants": ["化学需氧量", "氨氮", "颗粒物"],
        }
    )

    enterprise: Enterprise
    facility_province: ProvinceCode = Field(description="Province of the facility / 生产经营场所地")
    action: PermitAction = Field(description="New, renewal or change / 申请类型")
    facility_address: Address = Field(description="Facility address / 生产经营场所地址")
    industry_code: str = Field(
        pattern=r"^[A-T]\d{2,4}$", description="Industry code (GB/T 4754) / 国民经济行业代码"
    )
    level: ManagementLevel = Field(description="Management level / 管理类别")
    pollutants: list[str] = Field(min_length=1, max_length=50, description="Pollutants / 污染物")


class DischargePermitResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-30",
            "certificate_number": "91440101MA5CN1X9A2001V",
            "valid_until": "2029-05-29",
        }
    )


POLLUTANT_DISCHARGE_PERMIT = ServiceItem(
    code="pollutant-discharge-permit",
    name_zh="排污许可",
    name_en="Pollutant discharge permit",
    department=ENV,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(_FACILITY,),
    time_limits=limits(20, 10),
    materials=(
        BUSINESS_LICENCE,
        material(
            "self-monitoring-plan",
            "自行监测方案",
            "Self-monitoring plan",
            trust=TrustLevel.D,
        ),
        material(
            "eia-approval",
            "环境影响评价审批文件（如有）",
            "EIA approval (if any)",
            required=False,
            trust=TrustLevel.C,
        ),
    ),
    source=SRC_2020,
    request_model=DischargePermit,
    result_model=DischargePermitResult,
    summary_zh="排污单位通过全国排污许可证管理信息平台在线申请、延续、变更排污许可证。",
    summary_en="Facilities apply for, renew or change a discharge permit online on the national "
    "platform.",
)


class DischargeRegistration(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "facility_province": "440000",
            "facility_address": "广东省广州市天河区体育西路1号",
            "industry_code": "I6510",
            "discharges": ["生活污水"],
        }
    )

    enterprise: Enterprise
    facility_province: ProvinceCode = Field(description="Province of the facility / 生产经营场所地")
    facility_address: Address = Field(description="Facility address / 生产经营场所地址")
    industry_code: str = Field(
        pattern=r"^[A-T]\d{2,4}$", description="Industry code (GB/T 4754) / 国民经济行业代码"
    )
    discharges: list[str] = Field(min_length=1, max_length=20, description="Discharges / 排放内容")


class DischargeRegistrationResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-06",
            "registration_number": "91440101MA5CN1X9A2001W",
        }
    )

    registration_number: str | None = Field(default=None, description="Registration / 登记编号")


POLLUTANT_DISCHARGE_REGISTRATION = ServiceItem(
    code="pollutant-discharge-registration",
    name_zh="固定污染源排污登记",
    name_en="Stationary source discharge registration",
    department=ENV,
    batch=2020,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(_FACILITY,),
    time_limits=limits(None, 0, "registered at once / 即时登记"),
    materials=(BUSINESS_LICENCE,),
    source=STANDARD,
    request_model=DischargeRegistration,
    result_model=DischargeRegistrationResult,
    summary_zh="污染物产生量小、无需排污许可证的单位在线填报排污登记。",
    summary_en="Small emitters that need no permit register their discharges online.",
)


class EiaDocument(StrEnum):
    report = "report"  # 环境影响报告书
    form = "form"  # 环境影响报告表


class EiaApproval(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "project_province": "510000",
            "project_name": "某某电子元件生产线建设项目",
            "project_address": "四川省成都市双流区某某园区",
            "document": "form",
            "investment": "50000000.00",
            "preparer_credit_code": "91510100MA61XY2B4M",
        }
    )

    enterprise: Enterprise
    project_province: ProvinceCode = Field(description="Province of the project / 项目所在地")
    project_name: str = Field(min_length=2, max_length=100, description="Project / 项目名称")
    project_address: Address = Field(description="Project site / 建设地点")
    document: EiaDocument = Field(description="Report or form / 环评文件类型")
    investment: Money = Field(description="Total investment / 总投资")
    preparer_credit_code: CreditCode = Field(description="EIA preparer / 环评编制单位信用代码")


class EiaApprovalResult(CertificateDecision):
    model_config = examples(
        {
            "decision_number": "川环审批〔2024〕56号",
            "decided_on": "2024-07-12",
            "approved": True,
        }
    )

    approved: bool | None = Field(default=None, description="Approved / 是否批准")


EIA_APPROVAL = ServiceItem(
    code="eia-approval",
    name_zh="建设项目环境影响评价文件审批",
    name_en="Environmental impact assessment approval",
    department=ENV,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "project_province",
            "项目所在地生态环境部门",
            "Environment authority where the project is",
        ),
    ),
    time_limits=TimeLimits(
        promised_days=20, note="EIA law: 60 days for reports, 30 for forms / 报告书60日，报告表30日"
    ),
    materials=(
        BUSINESS_LICENCE,
        material(
            "eia-document",
            "环境影响报告书（表）",
            "EIA report or form",
            trust=TrustLevel.C,
        ),
    ),
    source=STANDARD,
    request_model=EiaApproval,
    result_model=EiaApprovalResult,
    summary_zh="外省投资的建设项目在线报批环境影响评价文件。",
    summary_en="Investors from other provinces submit a project's EIA for approval online.",
)


class HazardousWaste(Strict):
    code: str = Field(
        pattern=r"^\d{3}-\d{3}-\d{2}$", description="National hazardous waste code / 废物代码"
    )
    name: str = Field(min_length=1, max_length=50, description="Waste name / 废物名称")
    tonnes: Decimal = Field(
        gt=0, max_digits=12, decimal_places=3, description="Tonnes / 数量（吨）"
    )


class HazardousWasteTransfer(BetweenProvinces):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "origin_province": "440000",
            "destination_province": "430000",
            "receiver_name": "湖南某某环保科技有限公司",
            "receiver_credit_code": "91110000600037341L",
            "receiver_licence_number": "湖南危废经营许可证4300001234",
            "wastes": [{"code": "900-249-08", "name": "废矿物油", "tonnes": "120.5"}],
        }
    )

    enterprise: Enterprise = Field(description="Waste producer / 移出人")
    receiver_name: str = Field(min_length=2, max_length=100, description="Receiver / 接受人")
    receiver_credit_code: CreditCode = Field(description="Receiver's credit code / 接受人信用代码")
    receiver_licence_number: CertificateNumber = Field(
        description="Receiver's hazardous waste licence / 危险废物经营许可证编号"
    )
    wastes: list[HazardousWaste] = Field(
        min_length=1, max_length=50, description="Wastes / 转移危险废物"
    )


class HazardousWasteTransferResult(CertificateDecision):
    model_config = examples(
        {
            "decision_number": "粤环审〔2024〕0123号",
            "decided_on": "2024-06-28",
            "approved_tonnes": "120.5",
            "valid_until": "2025-06-27",
        }
    )

    approved_tonnes: Decimal | None = Field(default=None, description="Approved / 批准转移量（吨）")


HAZARDOUS_WASTE_TRANSFER = ServiceItem(
    code="hazardous-waste-transfer",
    name_zh="危险废物跨省转移审批",
    name_en="Approval of a cross-province hazardous waste transfer",
    department=ENV,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.joint),
    roles=(
        # The receiving province must agree first (商请接受地同意); the approval the origin
        # then issues authorises the shipments, and it is what cannot be taken back.
        role(
            "destination",
            "destination_province",
            "接受地省级生态环境部门（同意接收）",
            "Receiving province (agrees to receive)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "移出地省级生态环境部门（批准转移）",
            "Sending province (approves the transfer)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(None, 20),
    materials=(
        BUSINESS_LICENCE,
        material(
            "transfer-contract",
            "危险废物转移合同",
            "Transfer contract",
            trust=TrustLevel.C,
        ),
    ),
    source=STANDARD,
    request_model=HazardousWasteTransfer,
    result_model=HazardousWasteTransferResult,
    summary_zh="危险废物跨省转移，由移出地商接受地同意后批准，全程网上办理。",
    summary_en="The sending province approves a hazardous waste transfer once the receiving "
    "province agrees, all online.",
)


ITEMS: tuple[ServiceItem, ...] = (
    POLLUTANT_DISCHARGE_PERMIT,
    POLLUTANT_DISCHARGE_REGISTRATION,
    EIA_APPROVAL,
    HAZARDOUS_WASTE_TRANSFER,
)
