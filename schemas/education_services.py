"""Education (教育) applications: school transfers and teacher qualifications."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CaseDecision,
    CertificateDecision,
    Delivery,
    PersonRef,
    Strict,
)
from schemas._fields import CertificateNumber, ProvinceCode
from schemas._items import (
    EX_APPLICANT,
    EX_APPLICANT_2,
    HUKOU_BOOKLET,
    ID_CARD,
    PHOTO,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

EDU = Department.education


# --- primary and secondary school transfer (中小学生转学) ---------------------------------


class StudentTransfer(BetweenProvinces):
    model_config = examples(
        {
            "guardian": EX_APPLICANT_2,
            "student": {"name": "李小明", "id_number": "110108201806010017"},
            "origin_province": "110000",
            "destination_province": "440000",
            "grade": 1,
            "origin_school": "北京市海淀区某某小学",
            "destination_school": "广州市天河区某某小学",
        }
    )

    guardian: Applicant = Field(description="Parent or guardian applying / 监护人")
    student: PersonRef = Field(description="Student / 学生")
    grade: int = Field(ge=1, le=12, description="Grade, 1–12 / 年级")
    origin_school: str = Field(
        min_length=2, max_length=100, description="Current school / 转出学校"
    )
    destination_school: str = Field(
        min_length=2, max_length=100, description="Receiving school / 转入学校"
    )


class StudentTransferResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-08-28",
            "student_number": "G110108201806010017",
            "transferred_on": "2024-08-28",
        }
    )

    student_number: str | None = Field(
        default=None, description="National student number / 全国学籍号"
    )
    transferred_on: dt.date | None = Field(default=None, description="Transfer date / 转学日期")


STUDENT_TRANSFER = ServiceItem(
    code="student-transfer",
    name_zh="中小学生转学",
    name_en="Primary and secondary school transfer",
    department=EDU,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.joint),
    roles=(
        # The receiving school and its education bureau accept the pupil first; once the
        # origin has released the student record in the national system, it cannot be undone.
        role(
            "destination",
            "destination_province",
            "转入地（转入学校同意接收）",
            "Receiving side (the new school accepts)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "转出地（核办学籍转出）",
            "Releasing side (moves the student record)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(15, 10),
    materials=(ID_CARD, HUKOU_BOOKLET),
    source=STANDARD,
    request_model=StudentTransfer,
    result_model=StudentTransferResult,
    summary_zh="随迁子女跨省转学，学籍通过全国学籍系统网上转接。",
    summary_en="Move a pupil to a school in another province; the student record moves online.",
)


# --- teacher qualification certification (教师资格认定) -----------------------------------


class SchoolStage(StrEnum):
    kindergarten = "kindergarten"  # 幼儿园
    primary = "primary"  # 小学
    junior_secondary = "junior-secondary"  # 初级中学
    senior_secondary = "senior-secondary"  # 高级中学
    vocational = "vocational"  # 中等职业学校


class TeacherCertification(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "certification_province": "440000",
            "stage": "primary",
            "subject": "数学",
            "exam_certificate_number": "4401202401000123",
            "mandarin_grade": "2A",
        }
    )

    applicant: Applicant
    certification_province: ProvinceCode = Field(
        description="Hukou, residence or school province / 认定地（户籍、居住或任教所在地）"
    )
    stage: SchoolStage = Field(description="Stage applied for / 资格种类")
    subject: str = Field(min_length=1, max_length=20, description="Subject / 任教学科")
    exam_certificate_number: CertificateNumber = Field(
        description="National teacher exam pass number / 教师资格考试合格证明编号"
    )
    mandarin_grade: str = Field(
        pattern=r"^[1-3][AB]$", description="Mandarin grade, e.g. 2A / 普通话等级"
    )


class TeacherCertificationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-28",
            "certificate_number": "20244400142000567",
            "elicence_id": "440000JSZG2024000567",
        }
    )


TEACHER_QUALIFICATION_CERTIFICATION = ServiceItem(
    code="teacher-qualification-certification",
    name_zh="教师资格认定",
    name_en="Teacher qualification certification",
    department=EDU,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "certification_province",
            "认定地教育部门",
            "Education authority of the certification place",
        ),
    ),
    time_limits=limits(30, 20),
    materials=(
        ID_CARD,
        PHOTO,
        material(
            "health-check",
            "体检合格证明",
            "Medical check",
            trust=TrustLevel.C,
        ),
        material(
            "diploma",
            "学历证书",
            "Diploma",
            elicence="higher-education-diploma",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=TeacherCertification,
    result_model=TeacherCertificationResult,
    summary_zh="考试合格者可在户籍地、居住地或任教学校所在地申请认定教师资格。",
    summary_en="Those who passed the exam apply where they are registered, live or teach.",
)


# --- teacher certificate reissue (教师资格证书补发换发) -----------------------------------


class ReissueReason(StrEnum):
    lost = "lost"
    damaged = "damaged"
    details_changed = "details-changed"


class TeacherCertificateReissue(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "issuing_province": "510000",
            "certificate_number": "20195100142000123",
            "reason": "lost",
            "delivery": {"method": "post", "address": "广东省广州市天河区体育西路1号"},
        }
    )

    applicant: Applicant
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")
    certificate_number: CertificateNumber = Field(description="Certificate number / 证书编号")
    reason: ReissueReason = Field(description="Why / 补换原因")
    delivery: Delivery = Field(description="How it is delivered / 送达方式")


class TeacherCertificateReissueResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-07-10",
            "certificate_number": "20195100142000123",
            "tracking_number": "EMS2233445566",
        }
    )


TEACHER_CERTIFICATE_REISSUE = ServiceItem(
    code="teacher-certificate-reissue",
    name_zh="教师资格证书补发、换发",
    name_en="Teacher qualification certificate reissue",
    department=EDU,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "issuing_province", "原发证地", "Province that issued it"),),
    time_limits=limits(20, 10),
    materials=(ID_CARD, PHOTO),
    source=STANDARD,
    request_model=TeacherCertificateReissue,
    result_model=TeacherCertificateReissueResult,
    summary_zh="教师资格证书遗失或损毁的，向原发证机关申请补发、换发，可邮寄送达。",
    summary_en="Replace a lost or damaged teacher certificate by mail from the issuing body.",
)


ITEMS: tuple[ServiceItem, ...] = (
    STUDENT_TRANSFER,
    TEACHER_QUALIFICATION_CERTIFICATION,
    TEACHER_CERTIFICATE_REISSUE,
)
