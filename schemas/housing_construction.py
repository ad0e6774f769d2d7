"""Housing and urban-rural development (住房和城乡建设) items: construction qualifications."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas._common import (
    Applicant,
    CertificateCheck,
    CertificateDecision,
    CertificateFound,
    Enterprise,
    Strict,
)
from schemas._fields import CertificateNumber, CreditCode, ProvinceCode
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

MOHURD = Department.housing_construction


class ConstructorLevel(StrEnum):
    first = "first"  # 一级建造师
    second = "second"  # 二级建造师


class ConstructorCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "110000",
            "certificate_number": "京1112019201912345",
        }
    )


class ConstructorFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "京1112019201912345",
            "issued_on": "2019-11-20",
            "issuer": "住房和城乡建设部",
            "level": "first",
            "specialties": ["建筑工程"],
            "employer": "北京某某建设集团有限公司",
        }
    )

    level: ConstructorLevel | None = Field(default=None, description="Level / 级别")
    specialties: list[str] = Field(default_factory=list, description="Specialties / 注册专业")
    employer: str | None = Field(default=None, description="Registered employer / 聘用单位")


CONSTRUCTOR_CERTIFICATE_LOOKUP = ServiceItem(
    code="constructor-certificate-lookup",
    name_zh="注册建造师执业资格查询核验",
    name_en="Registered constructor verification",
    department=MOHURD,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "issuing_province", "注册地", "Province registered in"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=ConstructorCheck,
    result_model=ConstructorFound,
    summary_zh="核验注册建造师的级别、专业和注册单位。",
    summary_en="Check a registered constructor's level, specialties and employer.",
    cancellable=False,
)


class ConstructorChange(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "registration_province": "440000",
            "level": "second",
            "old_registration_number": "京2112019201954321",
            "new_employer": "广州市某某建设有限公司",
            "new_employer_credit_code": "91440101MA5CN1X9A2",
            "specialties": ["建筑工程"],
        }
    )

    applicant: Applicant
    registration_province: ProvinceCode = Field(
        description="Province of the new employer / 新聘用单位注册地"
    )
    level: ConstructorLevel = Field(description="Level / 级别")
    old_registration_number: CertificateNumber = Field(
        description="Current registration / 原注册编号"
    )
    new_employer: str = Field(min_length=2, max_length=100, description="New employer / 新聘用单位")
    new_employer_credit_code: CreditCode = Field(description="Its credit code / 新单位信用代码")
    specialties: list[str] = Field(
        min_length=1, max_length=10, description="Specialties / 注册专业"
    )


class ConstructorChangeResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-19",
            "certificate_number": "粤2442024202401234",
            "elicence_id": "440000JZS2024061900321",
        }
    )


CONSTRUCTOR_REGISTRATION_CHANGE = ServiceItem(
    code="constructor-registration-change",
    name_zh="注册建造师变更注册",
    name_en="Registered constructor change of employer",
    department=MOHURD,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "registration_province",
            "新聘用单位注册地住房城乡建设部门",
            "Construction authority of the new employer's province",
        ),
    ),
    time_limits=limits(20, 10),
    materials=(
        ID_CARD,
        material(
            "labour-contract",
            "与新聘用单位的劳动合同",
            "Employment contract with the new employer",
            trust=TrustLevel.C,
        ),
    ),
    source=STANDARD,
    request_model=ConstructorChange,
    result_model=ConstructorChangeResult,
    summary_zh="建造师跨省变更聘用单位时，在线办理变更注册，颁发电子注册证书。",
    summary_en="Constructors changing employer across provinces re-register online.",
)


class QualificationChangeItem(StrEnum):
    name = "name"  # 企业名称
    address = "address"  # 注册地址
    legal_representative = "legal-representative"  # 法定代表人
    registered_capital = "registered-capital"  # 注册资本


class QualificationChange(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "issuing_province": "440000",
            "certificate_number": "D244012345",
            "changes": ["legal-representative"],
        }
    )

    enterprise: Enterprise
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")
    certificate_number: CertificateNumber = Field(
        description="Qualification certificate / 资质证书编号"
    )
    changes: list[QualificationChangeItem] = Field(
        min_length=1, description="What changed / 变更事项"
    )


class QualificationChangeResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-21",
            "certificate_number": "D244012345",
            "elicence_id": "440000JZYZZ2024052100012",
        }
    )


CONSTRUCTION_QUALIFICATION_CHANGE = ServiceItem(
    code="construction-qualification-change",
    name_zh="建筑业企业资质证书变更",
    name_en="Construction enterprise qualification certificate change",
    department=MOHURD,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(role("competent", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=limits(20, 5),
    materials=(BUSINESS_LICENCE,),
    source=STANDARD,
    request_model=QualificationChange,
    result_model=QualificationChangeResult,
    summary_zh="建筑业企业名称、地址、法定代表人等变更后，在线变更资质证书。",
    summary_en="Update a construction qualification certificate online after the enterprise "
    "changes.",
)


class SafetyCategory(StrEnum):
    a = "A"  # 企业主要负责人
    b = "B"  # 项目负责人
    c = "C"  # 专职安全生产管理人员


class SafetyCertificateChange(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "issuing_province": "510000",
            "category": "C",
            "certificate_number": "川建安C（2021）0012345",
            "new_employer": "广州市某某建设有限公司",
            "new_employer_credit_code": "91440101MA5CN1X9A2",
        }
    )

    applicant: Applicant
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")
    category: SafetyCategory = Field(description="Category A, B or C / 人员类别")
    certificate_number: CertificateNumber = Field(description="Certificate number / 证书编号")
    new_employer: str = Field(min_length=2, max_length=100, description="New employer / 新受聘单位")
    new_employer_credit_code: CreditCode = Field(description="Its credit code / 新单位信用代码")


class SafetyCertificateResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-06",
            "certificate_number": "川建安C（2021）0012345",
            "valid_until": "2027-06-05",
        }
    )


CONSTRUCTION_SAFETY_CERTIFICATE_CHANGE = ServiceItem(
    code="construction-safety-certificate-change",
    name_zh="建筑施工企业安管人员证书变更",
    name_en="Construction safety manager certificate change",
    department=MOHURD,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=limits(20, 10),
    materials=(ID_CARD,),
    source=STANDARD,
    request_model=SafetyCertificateChange,
    result_model=SafetyCertificateResult,
    summary_zh="“三类人员”跨省变更受聘企业时，在线变更安全生产考核合格证书。",
    summary_en="Safety managers moving to an employer in another province update their "
    "certificate online.",
)


ITEMS: tuple[ServiceItem, ...] = (
    CONSTRUCTOR_CERTIFICATE_LOOKUP,
    CONSTRUCTOR_REGISTRATION_CHANGE,
    CONSTRUCTION_QUALIFICATION_CHANGE,
    CONSTRUCTION_SAFETY_CERTIFICATE_CHANGE,
)
