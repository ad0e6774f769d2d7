"""Justice (司法) items: notarizations applied for from afar, and legal aid.

Notary offices charge notarial fees at the rate their province sets; the gateway never adds
one. The notarial procedure rules give fifteen working days to issue a certificate.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field
from pydantic.config import JsonDict

from schemas._common import (
    Applicant,
    CaseDecision,
    CertificateDecision,
    Delivery,
    PersonRef,
    Strict,
)
from schemas._fields import CertificateNumber, CountryCode, PastDate, ProvinceCode
from schemas._items import (
    EX_APPLICANT,
    EX_APPLICANT_2,
    EX_PERSON,
    HUKOU_BOOKLET,
    ID_CARD,
    NOTARY_FEE,
    SRC_2020,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Material, Mode, ServiceItem, Subject, TrustLevel

JUSTICE = Department.justice
_NOTARY = role(
    "competent",
    "notary_province",
    "公证机构所在地（户籍地、居住地或事实发生地）",
    "Notary's province (hukou, residence or where the fact arose)",
)


class NotarizationRequest(Strict):
    """Shared by every notarization: who, which notary, for which country, how many copies."""

    applicant: Applicant
    notary_province: ProvinceCode = Field(
        description="Province of the notary office / 公证机构所在地"
    )
    use_country: CountryCode | None = Field(default=None, description="Country of use / 使用地")
    translation: str | None = Field(
        default=None,
        pattern=r"^[a-z]{2}$",
        description="Translation language, ISO 639-1 / 译文语种",
    )
    copies: int = Field(default=1, ge=1, le=10, description="Copies / 公证书份数")
    delivery: Delivery = Field(description="How the certificate is delivered / 送达方式")


class NotarialCertificate(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-16",
            "certificate_number": "（2024）京长安内经证字第12345号",
            "copies": 2,
            "tracking_number": "EMS4455667788",
        }
    )

    copies: int | None = Field(default=None, ge=1, description="Copies issued / 出具份数")


def _notarization(
    code: str,
    name_zh: str,
    name_en: str,
    batch: Literal[2020, 2021],
    request: type[NotarizationRequest],
    evidence: Material,
    source: str,
    summary_zh: str,
    summary_en: str,
    modes: tuple[Mode, ...] = (Mode.online, Mode.counter),
) -> ServiceItem:
    return ServiceItem(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        department=JUSTICE,
        batch=batch,
        subject=Subject.individual,
        kind=Kind.application,
        modes=modes,
        roles=(_NOTARY,),
        time_limits=limits(15, 5),
        fee=NOTARY_FEE,
        materials=(ID_CARD, evidence),
        source=source,
        request_model=request,
        result_model=NotarialCertificate,
        summary_zh=summary_zh,
        summary_en=summary_en,
    )


_BASE: JsonDict = {
    "applicant": EX_APPLICANT,
    "notary_province": "110000",
    "use_country": "DE",
    "translation": "de",
    "copies": 2,
    "delivery": {"method": "post", "address": "广东省广州市天河区体育西路1号"},
}


class DiplomaNotarization(NotarizationRequest):
    model_config = examples(
        {
            **_BASE,
            "diploma_number": "106101202405001234",
            "school": "四川大学",
            "graduated_on": "2024-06-30",
        }
    )

    diploma_number: CertificateNumber = Field(description="Diploma number / 毕业证书编号")
    school: str = Field(min_length=2, max_length=100, description="School / 学校")
    graduated_on: PastDate = Field(description="Graduation date / 毕业日期")


class DegreeNotarization(NotarizationRequest):
    model_config = examples({**_BASE, "degree_number": "1055842024001234", "school": "中山大学"})

    degree_number: CertificateNumber = Field(description="Degree certificate number / 学位证书编号")
    school: str = Field(min_length=2, max_length=100, description="Awarding school / 授予单位")


class DrivingLicenceNotarization(NotarizationRequest):
    model_config = examples({**_BASE, "licence_class": "C1", "valid_until": "2030-05-20"})

    licence_class: str = Field(pattern=r"^[A-E][1-3]?$", description="Licence class / 准驾车型")
    valid_until: dt.date = Field(description="Licence valid until / 驾驶证有效期至")


class BirthNotarization(NotarizationRequest):
    model_config = examples(
        {
            **_BASE,
            "birth_date": "1949-12-31",
            "birth_place": "北京市西城区",
            "father": "张大山",
            "mother": "李秀英",
        }
    )

    birth_date: PastDate = Field(description="Date of birth / 出生日期")
    birth_place: str = Field(min_length=2, max_length=100, description="Place of birth / 出生地点")
    father: str | None = Field(default=None, max_length=50, description="Father / 父亲姓名")
    mother: str | None = Field(default=None, max_length=50, description="Mother / 母亲姓名")


class MaritalStatus(StrEnum):
    never_married = "never-married"  # 未婚
    married = "married"  # 已婚
    divorced = "divorced"  # 离婚
    widowed = "widowed"  # 丧偶


class MaritalStatusNotarization(NotarizationRequest):
    model_config = examples({**_BASE, "status": "never-married"})

    status: MaritalStatus = Field(description="Status to certify / 婚姻状况")


class NotarizedRelative(Strict):
    person: PersonRef
    relation: str = Field(min_length=1, max_length=10, description="Relation, e.g. 父子 / 关系")


class KinshipNotarization(NotarizationRequest):
    model_config = examples(
        {
            **_BASE,
            "relatives": [
                {"person": {"name": "李四", "id_number": "440106198503150011"}, "relation": "父子"}
            ],
        }
    )

    relatives: list[NotarizedRelative] = Field(
        min_length=1, max_length=20, description="Relatives / 亲属"
    )


class NoCriminalRecordNotarization(NotarizationRequest):
    model_config = examples(
        {**_BASE, "police_certificate_number": "京公（朝）证字〔2024〕第0123号"}
    )

    police_certificate_number: CertificateNumber = Field(
        description="Police certificate of no criminal record / 无犯罪记录证明编号"
    )


class PowerOfAttorneyNotarization(NotarizationRequest):
    model_config = examples(
        {
            **_BASE,
            "use_country": None,
            "translation": None,
            "agent": EX_PERSON,
            "matters": "代为办理某某房产出售及过户手续",
        }
    )

    agent: PersonRef = Field(description="Person authorised / 受托人")
    matters: str = Field(min_length=4, max_length=500, description="Matters authorised / 委托事项")


NOTARIZATION_DIPLOMA = _notarization(
    "notarization-diploma",
    "学历公证",
    "Notarization of a diploma",
    2020,
    DiplomaNotarization,
    material(
        "diploma", "毕业证书", "Diploma", elicence="higher-education-diploma", trust=TrustLevel.A
    ),
    SRC_2020,
    "在线申请学历公证，学历信息经数据共享核验，公证书邮寄送达。",
    "Apply online to notarize a diploma; the record is checked by data sharing.",
)
NOTARIZATION_DEGREE = _notarization(
    "notarization-degree",
    "学位公证",
    "Notarization of a degree",
    2020,
    DegreeNotarization,
    material("degree", "学位证书", "Degree certificate", trust=TrustLevel.B),
    STANDARD,
    "在线申请学位公证。",
    "Apply online to notarize a degree certificate.",
)
NOTARIZATION_DRIVING_LICENCE = _notarization(
    "notarization-driving-licence",
    "驾驶证公证",
    "Notarization of a driving licence",
    2020,
    DrivingLicenceNotarization,
    material(
        "driving-licence",
        "机动车驾驶证",
        "Driving licence",
        elicence="driving-licence",
        trust=TrustLevel.A,
    ),
    SRC_2020,
    "出国使用的驾驶证公证，在线申请、邮寄送达。",
    "Notarize a driving licence for use abroad, online and by post.",
)
NOTARIZATION_BIRTH = _notarization(
    "notarization-birth",
    "出生公证",
    "Notarization of birth",
    2020,
    BirthNotarization,
    HUKOU_BOOKLET,
    STANDARD,
    "为出国留学、定居等申请出生公证。",
    "Notarize one's birth, e.g. for study or residence abroad.",
)
NOTARIZATION_MARITAL_STATUS = _notarization(
    "notarization-marital-status",
    "婚姻状况公证",
    "Notarization of marital status",
    2021,
    MaritalStatusNotarization,
    HUKOU_BOOKLET,
    STANDARD,
    "申请未婚、已婚、离婚或丧偶状况公证。",
    "Notarize being unmarried, married, divorced or widowed.",
)
NOTARIZATION_KINSHIP = _notarization(
    "notarization-kinship",
    "亲属关系公证",
    "Notarization of kinship",
    2021,
    KinshipNotarization,
    HUKOU_BOOKLET,
    STANDARD,
    "申请与亲属的关系公证，用于探亲、继承等。",
    "Notarize a family relationship, e.g. for visits or inheritance.",
)
NOTARIZATION_NO_CRIMINAL_RECORD = _notarization(
    "notarization-no-criminal-record",
    "无犯罪记录公证",
    "Notarization of no criminal record",
    2021,
    NoCriminalRecordNotarization,
    material(
        "police-certificate",
        "无犯罪记录证明",
        "Police certificate of no criminal record",
        elicence="no-criminal-record-certificate",
        trust=TrustLevel.A,
    ),
    STANDARD,
    "凭公安机关出具的无犯罪记录证明申请公证。",
    "Notarize a police certificate of no criminal record.",
)
NOTARIZATION_POWER_OF_ATTORNEY = _notarization(
    "notarization-power-of-attorney",
    "委托公证",
    "Notarization of a power of attorney",
    2021,
    PowerOfAttorneyNotarization,
    material(
        "attorney-deed",
        "委托书（在公证员面前或视频签署）",
        "Power of attorney, signed before the notary or by video",
        trust=TrustLevel.B,
    ),
    STANDARD,
    "在居住地公证机构办理委托公证，委托他人在外地办理事务。",
    "Notarize a power of attorney where one lives so someone can act elsewhere.",
    modes=(Mode.counter,),
)


class AidMatter(StrEnum):
    wages = "wages"  # 追索劳动报酬
    work_injury = "work-injury"  # 工伤赔偿
    family = "family"  # 婚姻家庭、赡养抚养
    social_insurance = "social-insurance"  # 社会保险待遇
    other = "other"


class LegalAidRequest(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_2,
            "case_province": "440000",
            "matter": "wages",
            "facts": "某某建筑公司拖欠2023年10月至12月工资共计18000元",
            "hardship_declared": True,
        }
    )

    applicant: Applicant
    case_province: ProvinceCode = Field(
        description="Province where the case is handled / 办案机关所在地或争议处理地"
    )
    matter: AidMatter = Field(description="Matter / 援助事项")
    facts: str = Field(min_length=10, max_length=2000, description="Facts and request / 案情及请求")
    hardship_declared: bool = Field(description="Declares financial hardship / 经济困难状况说明")


class LegalAidResult(CaseDecision):
    model_config = examples(
        {
            "decision_number": "穗法援〔2024〕01234号",
            "decided_on": "2024-05-09",
            "granted": True,
            "assigned_to": "广东某某律师事务所",
        }
    )

    granted: bool | None = Field(default=None, description="Aid granted / 是否给予援助")
    assigned_to: str | None = Field(default=None, description="Assigned firm / 指派机构")


LEGAL_AID_APPLICATION = ServiceItem(
    code="legal-aid-application",
    name_zh="法律援助申请",
    name_en="Legal aid application",
    department=JUSTICE,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role("competent", "case_province", "办案地法律援助机构", "Legal aid office of the case"),
    ),
    time_limits=limits(7, 3),
    materials=(
        ID_CARD,
        material(
            "hardship",
            "经济困难状况说明表",
            "Statement of financial hardship",
            trust=TrustLevel.D,
        ),
    ),
    source=STANDARD,
    request_model=LegalAidRequest,
    result_model=LegalAidResult,
    summary_zh="农民工等在外地维权，可异地在线申请法律援助。",
    summary_en="Migrant workers and others apply for legal aid where their case is, from afar.",
)


ITEMS: tuple[ServiceItem, ...] = (
    NOTARIZATION_DIPLOMA,
    NOTARIZATION_DEGREE,
    NOTARIZATION_DRIVING_LICENCE,
    NOTARIZATION_BIRTH,
    NOTARIZATION_MARITAL_STATUS,
    NOTARIZATION_KINSHIP,
    NOTARIZATION_NO_CRIMINAL_RECORD,
    NOTARIZATION_POWER_OF_ATTORNEY,
    LEGAL_AID_APPLICATION,
)
