"""Culture and tourism (文化和旅游) items: tour guide certificates, travel agency branches."""

from __future__ import annotations

from pydantic import Field

from schemas._common import (
    Applicant,
    CaseDecision,
    CertificateDecision,
    Enterprise,
    PersonRef,
    Strict,
)
from schemas._fields import Address, CertificateNumber, CreditCode, ProvinceCode
from schemas._items import (
    BUSINESS_LICENCE,
    EX_APPLICANT_3,
    EX_ENTERPRISE_2,
    ID_CARD,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

MCT = Department.culture_tourism


class GuideChange(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_3,
            "new_province": "440000",
            "certificate_number": "D-5101-012345",
            "new_agency": "广州某某国际旅行社有限公司",
            "new_agency_credit_code": "91440106MA59AB2C1U",
        }
    )

    applicant: Applicant
    new_province: ProvinceCode = Field(description="Province of the new agency / 新执业地")
    certificate_number: CertificateNumber = Field(description="Guide certificate / 导游证号")
    new_agency: str = Field(min_length=2, max_length=100, description="New agency / 新执业单位")
    new_agency_credit_code: CreditCode = Field(description="Its credit code / 新执业单位信用代码")


class GuideChangeResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-04-12",
            "certificate_number": "D-5101-012345",
            "elicence_id": "440000DYZ2024041200031",
        }
    )


TOUR_GUIDE_CERTIFICATE_CHANGE = ServiceItem(
    code="tour-guide-certificate-change",
    name_zh="导游执业单位跨省变更",
    name_en="Tour guide change of agency to another province",
    department=MCT,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "new_province",
            "新执业地文化和旅游部门",
            "Tourism authority of the new agency's province",
        ),
    ),
    time_limits=limits(10, 3),
    materials=(
        ID_CARD,
        material(
            "contract",
            "与新旅行社的劳动合同或导游服务协议",
            "Contract with the new agency",
            trust=TrustLevel.C,
        ),
    ),
    source=STANDARD,
    request_model=GuideChange,
    result_model=GuideChangeResult,
    summary_zh="导游跨省变更执业旅行社，电子导游证信息在线变更，无需换证。",
    summary_en="Guides moving to an agency in another province update the e-certificate online.",
)


class BranchFiling(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE_2,
            "branch_province": "460000",
            "branch_name": "北京某某国际旅行社有限公司海口分社",
            "branch_address": "海南省海口市龙华区某某路1号",
            "manager": {"name": "王芳", "id_number": "510107199007040023"},
            "branch_credit_code": "91310115MA1K4Y5L22",
        }
    )

    enterprise: Enterprise = Field(description="Head agency / 设立社")
    branch_province: ProvinceCode = Field(description="Province of the branch / 分社所在地")
    branch_name: str = Field(min_length=4, max_length=100, description="Branch name / 分社名称")
    branch_address: Address = Field(description="Branch address / 分社地址")
    manager: PersonRef = Field(description="Branch manager / 分社负责人")
    branch_credit_code: CreditCode = Field(
        description="Branch credit code from its business licence / 分社统一社会信用代码"
    )


class BranchFilingResult(CaseDecision):
    model_config = examples({"decided_on": "2024-03-18", "filing_number": "L-HAN-FS00123"})

    filing_number: str | None = Field(default=None, description="Filing number / 备案编号")


TRAVEL_AGENCY_BRANCH_FILING = ServiceItem(
    code="travel-agency-branch-filing",
    name_zh="旅行社分社设立备案",
    name_en="Travel agency branch filing",
    department=MCT,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "branch_province",
            "分社所在地文化和旅游部门",
            "Tourism authority where the branch is",
        ),
    ),
    time_limits=limits(3, 1),
    materials=(BUSINESS_LICENCE,),
    source=STANDARD,
    request_model=BranchFiling,
    result_model=BranchFilingResult,
    summary_zh="旅行社在外省设立分社后，在线向分社所在地备案。",
    summary_en="A travel agency files its new branch in another province online.",
)


ITEMS: tuple[ServiceItem, ...] = (
    TOUR_GUIDE_CERTIFICATE_CHANGE,
    TRAVEL_AGENCY_BRANCH_FILING,
)
