"""Education (教育) lookups: diplomas, degrees, student status, teachers, Mandarin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sandbox.lookups.base import LookupRequest, lookup
from sandbox.lookups.certificates import Found, simple, verification

MAJORS = ("软件工程", "临床医学", "土木工程", "会计学", "汉语言文学", "机械设计制造及其自动化")
DEGREES = (
    ("工学学士", "工学"),
    ("医学学士", "医学"),
    ("管理学学士", "管理学"),
    ("文学学士", "文学"),
    ("工学硕士", "工学"),
    ("理学学士", "理学"),
)
STAGES = ("幼儿园", "小学", "初级中学", "高级中学", "中等职业学校")
SUBJECTS = ("语文", "数学", "英语", "物理", "化学", "音乐", "体育")
GRADES = ((97.0, "1A"), (92.0, "1B"), (87.0, "2A"), (80.0, "2B"), (70.0, "3A"), (60.0, "3B"))


def university(found: Found) -> str:
    city = found.req.province.city(found.draws.below(9)).removesuffix("市")
    return found.draws.pick(
        (f"{city}大学", f"{city}理工大学", f"{city}师范大学", f"{city}职业技术学院")
    )


def _diploma(found: Found) -> dict[str, Any]:
    level = found.draws.pick(("junior-college", "bachelor", "bachelor", "master", "doctor"))
    mode = "full-time" if found.draws.chance(85) else "part-time"
    return {"level": level, "major": found.draws.pick(MAJORS), "study_mode": mode}


simple(
    "diploma-verification",
    number=lambda f: f"1{f.draws.digits(4)}1{f.issued_on.year}{f.draws.digits(6)}",
    issuer=university,
    extras=_diploma,
    present=60,
)


def _degree(found: Found) -> dict[str, Any]:
    degree, discipline = found.draws.pick(DEGREES)
    return {"degree": degree, "discipline": discipline}


simple(
    "degree-verification",
    number=lambda f: f"1{f.draws.digits(4)}{f.issued_on.year}{f.draws.digits(6)}",
    issuer=university,
    extras=_degree,
    present=55,
)


@lookup("student-status-verification")
def student_status(req: LookupRequest) -> dict[str, Any]:
    """学籍: enrolled students and recent graduates of the province's institutions."""

    def extras(found: Found) -> dict[str, Any]:
        enrolled = dt.date(found.issued_on.year, 9, 1)
        years = found.draws.pick((3, 4, 4, 5))
        graduation = dt.date(enrolled.year + years, 6, 30)
        if graduation <= req.today:
            status = "graduated" if found.draws.chance(92) else "withdrawn"
        else:
            status = "enrolled" if found.draws.chance(94) else "suspended"
        return {
            "status": status,
            "major": found.draws.pick(MAJORS),
            "enrolled_on": enrolled,
            "expected_graduation": graduation,
        }

    answer = verification(
        req,
        number=lambda f: f"{f.req.province.code[:2]}{f.issued_on.year}{f.draws.digits(8)}",
        issuer=university,
        extras=extras,
        present=45,
        years=(0, 6),
    )
    answer.pop("issued_on", None)  # a student record has no issue date
    return answer


simple(
    "teacher-qualification-lookup",
    number=lambda f: f"{f.issued_on.year}{f.req.province.code[:2]}{f.draws.digits(11)}",
    issuer=lambda f: f"{f.req.province.city(f.draws.below(9))}教育局",
    extras=lambda f: {"school_stage": f.draws.pick(STAGES), "subject": f.draws.pick(SUBJECTS)},
    present=35,
)


def _mandarin(found: Found) -> dict[str, Any]:
    score = found.draws.between(600, 990) / 10
    grade = next((g for floor, g in GRADES if score >= floor), "3B")
    return {"grade": grade, "score": score}


simple(
    "mandarin-certificate-lookup",
    number=lambda f: f"{f.req.province.code[:2]}{f.issued_on:%y}{f.draws.digits(9)}",
    issuer=lambda f: f"{f.req.province.name}语言文字工作委员会",
    extras=_mandarin,
    present=50,
)
