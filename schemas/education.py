"""Education (教育) lookups: diplomas, degrees, student status, teacher and Mandarin certificates.

Each is a verification answered at once by the records of the province that issued the
certificate (or where the school is).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field

from schemas._common import CertificateCheck, CertificateFound
from schemas._items import EX_PERSON, INSTANT, STANDARD, examples, role
from schemas._model import Department, Kind, Mode, ServiceItem, Subject

EDU = Department.education
_ISSUER = role(
    "target",
    "issuing_province",
    "发证地（院校所在地）",
    "Province that issued it (where the school is)",
)


def _lookup(
    code: str,
    name_zh: str,
    name_en: str,
    batch: Literal[2020, 2021],
    request: type[CertificateCheck],
    result: type[CertificateFound],
    summary_zh: str,
    summary_en: str,
) -> ServiceItem:
    return ServiceItem(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        department=EDU,
        batch=batch,
        subject=Subject.individual,
        kind=Kind.query,
        modes=(Mode.online, Mode.counter),
        roles=(_ISSUER,),
        time_limits=INSTANT,
        source=STANDARD,
        request_model=request,
        result_model=result,
        summary_zh=summary_zh,
        summary_en=summary_en,
        cancellable=False,
    )


class EducationLevel(StrEnum):
    junior_college = "junior-college"  # 专科
    bachelor = "bachelor"  # 本科
    master = "master"  # 硕士研究生
    doctor = "doctor"  # 博士研究生


class DiplomaCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "510000",
            "certificate_number": "106101202405001234",
        }
    )


class DiplomaFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "106101202405001234",
            "issued_on": "2024-06-30",
            "issuer": "四川大学",
            "level": "bachelor",
            "major": "软件工程",
            "study_mode": "full-time",
        }
    )

    level: EducationLevel | None = Field(default=None, description="Level / 层次")
    major: str | None = Field(default=None, description="Major / 专业")
    study_mode: str | None = Field(default=None, description="Full-time or not / 学习形式")


class DegreeCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "440000",
            "certificate_number": "1055842024001234",
        }
    )


class DegreeFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "1055842024001234",
            "issued_on": "2024-06-30",
            "issuer": "中山大学",
            "degree": "工学学士",
            "discipline": "工学",
        }
    )

    degree: str | None = Field(default=None, description="Degree, e.g. 工学学士 / 学位")
    discipline: str | None = Field(default=None, description="Discipline / 学科门类")


class StudentStatus(StrEnum):
    enrolled = "enrolled"  # 在籍
    suspended = "suspended"  # 休学
    graduated = "graduated"  # 毕业
    withdrawn = "withdrawn"  # 退学


class StudentStatusCheck(CertificateCheck):
    model_config = examples({"holder": EX_PERSON, "issuing_province": "440000"})


class StudentStatusFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "issuer": "中山大学",
            "status": "enrolled",
            "major": "临床医学",
            "enrolled_on": "2022-09-01",
            "expected_graduation": "2027-06-30",
        }
    )

    status: StudentStatus | None = Field(default=None, description="Status / 学籍状态")
    major: str | None = Field(default=None, description="Major / 专业")
    enrolled_on: dt.date | None = Field(default=None, description="Enrolled / 入学日期")
    expected_graduation: dt.date | None = Field(default=None, description="Expected / 预计毕业")


class TeacherCertificateCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "510000",
            "certificate_number": "20195100142000123",
        }
    )


class TeacherCertificateFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "20195100142000123",
            "issued_on": "2019-08-20",
            "issuer": "成都市武侯区教育局",
            "school_stage": "初级中学",
            "subject": "数学",
        }
    )

    school_stage: str | None = Field(default=None, description="Stage, e.g. 初级中学 / 资格种类")
    subject: str | None = Field(default=None, description="Subject taught / 任教学科")


class MandarinCertificateCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "110000",
            "certificate_number": "1119123000456",
        }
    )


class MandarinGrade(StrEnum):
    grade_1a = "1A"  # 一级甲等
    grade_1b = "1B"  # 一级乙等
    grade_2a = "2A"  # 二级甲等
    grade_2b = "2B"  # 二级乙等
    grade_3a = "3A"  # 三级甲等
    grade_3b = "3B"  # 三级乙等


class MandarinCertificateFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "1119123000456",
            "issued_on": "2019-05-10",
            "issuer": "国家语言文字工作委员会",
            "grade": "2A",
            "score": "88.5",
        }
    )

    grade: MandarinGrade | None = Field(default=None, description="Grade / 等级")
    score: float | None = Field(default=None, ge=0, le=100, description="Score / 分数")


DIPLOMA_VERIFICATION = _lookup(
    "diploma-verification",
    "高等教育学历证书查询核验",
    "Higher education diploma verification",
    2020,
    DiplomaCheck,
    DiplomaFound,
    "核验高等教育学历证书，用于就业、落户、公证等。",
    "Check a higher education diploma, e.g. for a job, a hukou move or notarization.",
)
DEGREE_VERIFICATION = _lookup(
    "degree-verification",
    "学位证书查询核验",
    "Degree certificate verification",
    2020,
    DegreeCheck,
    DegreeFound,
    "核验学士、硕士、博士学位证书。",
    "Check a bachelor's, master's or doctoral degree.",
)
STUDENT_STATUS_VERIFICATION = _lookup(
    "student-status-verification",
    "高等教育学籍查询核验",
    "Higher education student status verification",
    2021,
    StudentStatusCheck,
    StudentStatusFound,
    "核验在校生学籍状态，用于实习、求职和各类优惠。",
    "Check an enrolled student's status, e.g. for internships or concessions.",
)
TEACHER_QUALIFICATION_LOOKUP = _lookup(
    "teacher-qualification-lookup",
    "教师资格证书查询核验",
    "Teacher qualification certificate verification",
    2020,
    TeacherCertificateCheck,
    TeacherCertificateFound,
    "核验教师资格证书的种类、学科和有效性。",
    "Check a teacher qualification certificate, its stage and subject.",
)
MANDARIN_CERTIFICATE_LOOKUP = _lookup(
    "mandarin-certificate-lookup",
    "普通话水平测试等级证书查询",
    "Mandarin proficiency test certificate lookup",
    2020,
    MandarinCertificateCheck,
    MandarinCertificateFound,
    "查询普通话水平测试等级和成绩。",
    "Look up a Mandarin proficiency grade and score.",
)


ITEMS: tuple[ServiceItem, ...] = (
    DIPLOMA_VERIFICATION,
    DEGREE_VERIFICATION,
    STUDENT_STATUS_VERIFICATION,
    TEACHER_QUALIFICATION_LOOKUP,
    MANDARIN_CERTIFICATE_LOOKUP,
)
