"""Emergency management (应急管理) items: special operation certificates, chemicals licences."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from schemas._common import (
    Applicant,
    CertificateCheck,
    CertificateDecision,
    CertificateFound,
    Delivery,
    Enterprise,
    Strict,
)
from schemas._fields import Address, CertificateNumber, ProvinceCode
from schemas._items import (
    BUSINESS_LICENCE,
    EX_APPLICANT_2,
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

MEM = Department.emergency
_ISSUER = role("competent", "issuing_province", "发证地", "Province that issued it")


class Operation(StrEnum):
    """Special operation categories (特种作业目录)."""

    electrical = "electrical"  # 电工作业
    welding = "welding"  # 焊接与热切割作业
    height = "height"  # 高处作业
    refrigeration = "refrigeration"  # 制冷与空调作业
    mining_safety = "mining-safety"  # 煤矿/金属非金属矿山安全作业
    hazardous_chemicals = "hazardous-chemicals"  # 危险化学品安全作业


class OperatorReview(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_2,
            "issuing_province": "510000",
            "certificate_number": "T440106198503150011",
            "operation": "electrical",
            "training_hours": 8,
            "delivery": {"method": "online"},
        }
    )

    applicant: Applicant
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")
    certificate_number: CertificateNumber = Field(description="Certificate number / 操作证号")
    operation: Operation = Field(description="Operation category / 作业类别")
    training_hours: int = Field(ge=0, le=100, description="Safety training hours / 安全培训学时")
    delivery: Delivery = Field(description="How it is delivered / 送达方式")


class OperatorReviewResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-03-22",
            "certificate_number": "T440106198503150011",
            "valid_until": "2027-03-21",
            "next_review_due": "2027-03-21",
        }
    )

    next_review_due: dt.date | None = Field(default=None, description="Next review / 下次复审日期")


SPECIAL_OPERATION_CERTIFICATE_REVIEW = ServiceItem(
    code="special-operation-certificate-review",
    name_zh="特种作业操作证复审",
    name_en="Special operation certificate review",
    department=MEM,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_ISSUER,),
    time_limits=limits(20, 5),
    materials=(
        ID_CARD,
        material(
            "training-record",
            "安全培训记录",
            "Safety training record",
            trust=TrustLevel.C,
        ),
        material(
            "health-check",
            "体检证明",
            "Medical check",
            trust=TrustLevel.C,
        ),
    ),
    source=STANDARD,
    request_model=OperatorReview,
    result_model=OperatorReviewResult,
    summary_zh="电工、焊工等特种作业人员在工作地办理操作证复审。",
    summary_en="Electricians, welders and other special operators get their certificate "
    "reviewed where they work.",
)


class OperatorCertificateCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "110000",
            "certificate_number": "T11010519491231002X",
        }
    )


class OperatorCertificateFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "T11010519491231002X",
            "issued_on": "2021-08-02",
            "issuer": "北京市应急管理局",
            "operation": "welding",
            "next_review_due": "2024-08-01",
        }
    )

    operation: Operation | None = Field(default=None, description="Category / 作业类别")
    next_review_due: dt.date | None = Field(default=None, description="Review due / 应复审日期")


SPECIAL_OPERATION_CERTIFICATE_LOOKUP = ServiceItem(
    code="special-operation-certificate-lookup",
    name_zh="特种作业操作证查询核验",
    name_en="Special operation certificate verification",
    department=MEM,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=OperatorCertificateCheck,
    result_model=OperatorCertificateFound,
    summary_zh="用人单位和个人核验特种作业操作证的真实性和复审情况。",
    summary_en="Employers and holders check a special operation certificate and its reviews.",
    cancellable=False,
)


class ChemicalsLicence(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "licence_province": "440000",
            "premises_address": "广东省广州市黄埔区某某化工园1号",
            "chemicals": ["乙醇", "丙酮"],
            "with_storage": False,
        }
    )

    enterprise: Enterprise
    licence_province: ProvinceCode = Field(description="Province of the premises / 经营场所地")
    premises_address: Address = Field(description="Premises / 经营场所")
    chemicals: list[str] = Field(min_length=1, max_length=200, description="Chemicals / 经营品种")
    with_storage: bool = Field(description="Keeps storage facilities / 是否带储存设施")


class ChemicalsLicenceResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-25",
            "certificate_number": "粤穗危化经字〔2024〕000123",
            "valid_until": "2027-06-24",
        }
    )


HAZARDOUS_CHEMICALS_LICENCE = ServiceItem(
    code="hazardous-chemicals-licence",
    name_zh="危险化学品经营许可",
    name_en="Hazardous chemicals business licence",
    department=MEM,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "licence_province",
            "经营场所所在地应急管理部门",
            "Emergency authority where the premises are",
        ),
    ),
    time_limits=limits(30, 15),
    materials=(
        BUSINESS_LICENCE,
        material(
            "safety-rules",
            "安全生产规章制度和岗位操作规程",
            "Safety rules and procedures",
            trust=TrustLevel.D,
        ),
    ),
    source=STANDARD,
    request_model=ChemicalsLicence,
    result_model=ChemicalsLicenceResult,
    summary_zh="外省企业在经营场所所在地在线申请危险化学品经营许可证。",
    summary_en="Enterprises from other provinces apply online for a hazardous chemicals "
    "business licence where they trade.",
)


ITEMS: tuple[ServiceItem, ...] = (
    SPECIAL_OPERATION_CERTIFICATE_REVIEW,
    SPECIAL_OPERATION_CERTIFICATE_LOOKUP,
    HAZARDOUS_CHEMICALS_LICENCE,
)
