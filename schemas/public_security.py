"""Public security household registration (户籍) items: certificates, newborns, hukou moves.

The Ministry of Public Security's six cross-province hukou items are the certificate and the
five moves below; newborn registration follows the State Council meeting of 2020-09-17.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field
from pydantic.config import JsonDict

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CaseDecision,
    CertificateDecision,
    Delivery,
    PersonRef,
    Sex,
    Strict,
)
from schemas._fields import Address, CertificateNumber, CreditCode, PastDate, ProvinceCode
from schemas._items import (
    EX_APPLICANT,
    EX_APPLICANT_2,
    EX_APPLICANT_3,
    HUKOU_BOOKLET,
    ID_CARD,
    MARRIAGE_CERTIFICATE,
    SRC_2021,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Material, Mode, Role, ServiceItem, Subject, TrustLevel

POLICE = Department.public_security
SRC_HUKOU = f"{SRC_2021}; Ministry of Public Security, six cross-province hukou items (2021)"


# --- hukou certificates (开具户籍类证明) --------------------------------------------------


class HukouCertificateKind(StrEnum):
    registration = "registration"  # 户籍证明
    former_name = "former-name"  # 曾用名证明
    cancellation = "cancellation"  # 注销户口证明
    kinship = "kinship"  # 户籍登记的亲属关系证明


class HukouCertificateRequest(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "hukou_province": "510000",
            "kind": "former-name",
            "purpose": "办理学历认证",
            "delivery": {"method": "online"},
        }
    )

    applicant: Applicant
    hukou_province: ProvinceCode = Field(description="Province of the hukou / 户籍地")
    kind: HukouCertificateKind = Field(description="Certificate wanted / 证明类型")
    purpose: str = Field(min_length=2, max_length=100, description="What it is for / 证明用途")
    delivery: Delivery = Field(description="How it is delivered / 送达方式")


class HukouCertificateResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-15",
            "certificate_number": "川公户证〔2024〕051500031号",
            "elicence_id": "5100002024HJZM0031",
        }
    )


HUKOU_CERTIFICATE = ServiceItem(
    code="hukou-certificate",
    name_zh="开具户籍类证明",
    name_en="Household registration certificates",
    department=POLICE,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "hukou_province", "户籍地公安机关", "Police of the hukou place"),),
    time_limits=limits(10, 5),
    materials=(ID_CARD, HUKOU_BOOKLET),
    source=SRC_HUKOU,
    request_model=HukouCertificateRequest,
    result_model=HukouCertificateResult,
    summary_zh="向户籍地公安机关申请开具户籍、曾用名、注销户口等证明，无需回户籍地。",
    summary_en="Get hukou, former-name or cancellation certificates without returning to the "
    "hukou place.",
)


# --- newborn registration (新生儿入户) ----------------------------------------------------


class NewbornRegistration(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_2,
            "hukou_province": "440000",
            "birth_province": "510000",
            "child_name": "李小明",
            "child_sex": "male",
            "birth_date": "2024-01-15",
            "birth_certificate_number": "Q510123456",
            "other_parent": {"name": "王芳", "id_number": "510107199007040023"},
        }
    )

    applicant: Applicant = Field(description="The parent applying / 申请人（父或母）")
    hukou_province: ProvinceCode = Field(description="Parent's hukou province / 父或母户籍地")
    birth_province: ProvinceCode = Field(description="Province of birth / 出生地")
    child_name: str = Field(min_length=1, max_length=50, description="Child's name / 新生儿姓名")
    child_sex: Sex = Field(description="Child's sex / 性别")
    birth_date: PastDate = Field(description="Date of birth / 出生日期")
    birth_certificate_number: str = Field(
        pattern=r"^[A-Z]\d{9}$", description="Birth medical certificate number / 出生医学证明编号"
    )
    other_parent: PersonRef | None = Field(default=None, description="Other parent / 另一方")


class NewbornRegistrationResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-02-02",
            "child_id_number": "440305202401150030",
            "registered_address": "广东省深圳市南山区粤海街道科技园社区",
        }
    )

    child_id_number: str | None = Field(
        default=None, description="Citizen ID number assigned / 公民身份号码"
    )
    registered_address: str | None = Field(default=None, description="Hukou address / 户籍地址")


NEWBORN_HUKOU_REGISTRATION = ServiceItem(
    code="newborn-hukou-registration",
    name_zh="新生儿入户",
    name_en="Household registration of a newborn",
    department=POLICE,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "hukou_province",
            "父或母户籍地公安机关",
            "Police of a parent's hukou place",
        ),
    ),
    time_limits=limits(10, 3),
    materials=(
        ID_CARD,
        HUKOU_BOOKLET,
        MARRIAGE_CERTIFICATE,
        material(
            "birth-medical-certificate",
            "出生医学证明",
            "Birth medical certificate",
            elicence="birth-medical-certificate",
            trust=TrustLevel.A,
        ),
    ),
    source="State Council executive meeting, 2020-09-17 (registering the birth of babies)",
    request_model=NewbornRegistration,
    result_model=NewbornRegistrationResult,
    summary_zh="在外省出生的新生儿，向父或母户籍地申报户口，无需返回户籍地。",
    summary_en="Register a baby born in another province at a parent's hukou place, from afar.",
)


# --- hukou moves (户口迁移), joint between the move-out and move-in police ----------------

HUKOU_MOVE_ROLES: tuple[Role, ...] = (
    # The move-in police approve first (准予迁入); the move-out police then cancel the hukou
    # at the origin. After that the person has no hukou there, so the case only goes forward.
    role(
        "destination",
        "destination_province",
        "迁入地公安机关（审批准予迁入）",
        "Move-in police (approve the move)",
        order=0,
    ),
    role(
        "origin",
        "origin_province",
        "迁出地公安机关（办理迁出）",
        "Move-out police (cancel the old registration)",
        order=1,
        pivot=True,
    ),
)


class KinRelation(StrEnum):
    spouse = "spouse"
    child = "child"
    parent = "parent"


class HukouCompanion(Strict):
    """A family member moving with the applicant (随迁人员)."""

    person: PersonRef
    relation: KinRelation = Field(description="Relation to the applicant / 与申请人关系")


class HukouMove(BetweenProvinces):
    """Shared by the five moves: who moves, from where, to which address."""

    applicant: Applicant
    destination_address: Address = Field(description="Address moved to / 迁入地址")
    companions: list[HukouCompanion] = Field(
        default_factory=list, max_length=10, description="Family moving along / 随迁人员"
    )


class HukouMoveResult(CaseDecision):
    model_config = examples(
        {
            "decision_number": "粤公准迁〔2024〕0012345号",
            "decided_on": "2024-06-20",
            "move_permit_number": "440000202406200123",
            "registered_on": "2024-06-27",
        }
    )

    move_permit_number: str | None = Field(default=None, description="Move permit / 准予迁入证编号")
    registered_on: dt.date | None = Field(default=None, description="Registered / 落户日期")


def _move(
    code: str,
    name_zh: str,
    name_en: str,
    request: type[HukouMove],
    evidence: Material,
    summary_zh: str,
    summary_en: str,
) -> ServiceItem:
    return ServiceItem(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        department=POLICE,
        batch=2021,
        subject=Subject.individual,
        kind=Kind.application,
        modes=(Mode.joint,),
        roles=HUKOU_MOVE_ROLES,
        time_limits=limits(20, 10),
        materials=(ID_CARD, HUKOU_BOOKLET, evidence),
        source=SRC_HUKOU,
        request_model=request,
        result_model=HukouMoveResult,
        summary_zh=summary_zh,
        summary_en=summary_en,
    )


_EX_MOVE: JsonDict = {
    "applicant": EX_APPLICANT_2,
    "origin_province": "510000",
    "destination_province": "440000",
    "destination_address": "广东省广州市天河区体育西路1号",
}


class JobTransferMove(HukouMove):
    model_config = examples(
        {
            **_EX_MOVE,
            "new_employer": "广州市某某科技有限公司",
            "new_employer_credit_code": "91440101MA5CN1X9A2",
            "transfer_notice_number": "粤人调〔2024〕0456号",
        }
    )

    new_employer: str = Field(min_length=2, max_length=100, description="New employer / 调入单位")
    new_employer_credit_code: CreditCode = Field(description="Its credit code / 调入单位信用代码")
    transfer_notice_number: CertificateNumber = Field(description="Transfer notice / 调动通知编号")


class CollegeAdmissionMove(HukouMove):
    model_config = examples(
        {
            **_EX_MOVE,
            "school": "中山大学",
            "admission_notice_number": "2024440123",
            "enrolled_on": "2024-09-01",
        }
    )

    school: str = Field(min_length=2, max_length=100, description="College / 录取院校")
    admission_notice_number: CertificateNumber = Field(
        description="Admission notice / 录取通知书编号"
    )
    enrolled_on: dt.date = Field(description="Enrolment date / 入学日期")


class GraduationMove(HukouMove):
    model_config = examples(
        {
            **_EX_MOVE,
            "school": "四川大学",
            "graduated_on": "2024-06-30",
            "diploma_number": "106101202405001234",
            "employer": "广州市某某科技有限公司",
        }
    )

    school: str = Field(min_length=2, max_length=100, description="College / 毕业院校")
    graduated_on: PastDate = Field(description="Graduation date / 毕业日期")
    diploma_number: CertificateNumber = Field(description="Diploma number / 毕业证书编号")
    employer: str | None = Field(default=None, max_length=100, description="Employer / 就业单位")


class SpouseMove(HukouMove):
    model_config = examples(
        {
            **_EX_MOVE,
            "applicant": EX_APPLICANT_3,
            "spouse": {"name": "李四", "id_number": "440106198503150011"},
            "married_on": "2020-05-20",
        }
    )

    spouse: PersonRef = Field(description="Spouse with hukou at the destination / 投靠的配偶")
    married_on: PastDate = Field(description="Date of marriage / 结婚登记日期")


class ParentsMove(HukouMove):
    model_config = examples(
        {
            **_EX_MOVE,
            "applicant": EX_APPLICANT,
            "child": {"name": "李四", "id_number": "440106198503150011"},
        }
    )

    child: PersonRef = Field(description="Child with hukou at the destination / 投靠的子女")


HUKOU_MOVE_JOB_TRANSFER = _move(
    "hukou-move-job-transfer",
    "工作调动户口迁移",
    "Hukou move on a job transfer",
    JobTransferMove,
    material("transfer-notice", "工作调动证明", "Proof of the job transfer", trust=TrustLevel.C),
    "因工作调动跨省迁移户口，迁入地受理、两地公安联办。",
    "Move one's hukou after a job transfer; the move-in police take the case.",
)
HUKOU_MOVE_COLLEGE_ADMISSION = _move(
    "hukou-move-college-admission",
    "大中专院校录取学生户口迁移",
    "Hukou move on college admission",
    CollegeAdmissionMove,
    material("admission-notice", "录取通知书", "Admission notice", trust=TrustLevel.C),
    "被外省大中专院校录取的学生将户口迁入学校。",
    "Students admitted to a college in another province move their hukou to the college.",
)
HUKOU_MOVE_GRADUATION = _move(
    "hukou-move-graduation",
    "大中专学生毕业户口迁移",
    "Hukou move on graduation",
    GraduationMove,
    material(
        "diploma", "毕业证书", "Diploma", elicence="higher-education-diploma", trust=TrustLevel.A
    ),
    "大中专毕业生将户口从学校迁往就业地或原籍。",
    "Graduates move their hukou from the college to where they work or came from.",
)
HUKOU_MOVE_SPOUSE = _move(
    "hukou-move-spouse",
    "夫妻投靠户口迁移",
    "Hukou move to join a spouse",
    SpouseMove,
    MARRIAGE_CERTIFICATE,
    "投靠配偶，将户口迁入配偶户籍所在地。",
    "Move one's hukou to where one's spouse is registered.",
)
HUKOU_MOVE_PARENTS = _move(
    "hukou-move-parents",
    "父母投靠子女户口迁移",
    "Hukou move of parents joining a child",
    ParentsMove,
    material(
        "kinship-proof",
        "亲属关系证明（户口簿等）",
        "Proof of kinship",
        elicence="household-register",
        trust=TrustLevel.B,
    ),
    "父母投靠子女，将户口迁入子女户籍所在地。",
    "Parents move their hukou to where their child is registered.",
)


ITEMS: tuple[ServiceItem, ...] = (
    HUKOU_CERTIFICATE,
    NEWBORN_HUKOU_REGISTRATION,
    HUKOU_MOVE_JOB_TRANSFER,
    HUKOU_MOVE_COLLEGE_ADMISSION,
    HUKOU_MOVE_GRADUATION,
    HUKOU_MOVE_SPOUSE,
    HUKOU_MOVE_PARENTS,
)
