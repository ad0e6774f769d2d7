"""Health (卫生健康) items: practitioner registration, vaccination records, birth certificates."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from schemas._common import (
    Applicant,
    CertificateCheck,
    CertificateDecision,
    CertificateFound,
    Delivery,
    PersonRef,
    Sex,
    Strict,
)
from schemas._fields import CertificateNumber, CreditCode, PastDate, ProvinceCode
from schemas._items import (
    EX_APPLICANT,
    EX_APPLICANT_2,
    EX_PERSON,
    HUKOU_BOOKLET,
    ID_CARD,
    INSTANT,
    PHOTO,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

HEALTH = Department.health


class PractitionerCategory(StrEnum):
    clinical = "clinical"  # 临床
    tcm = "tcm"  # 中医
    dental = "dental"  # 口腔
    public_health = "public-health"  # 公共卫生


class RegistrationType(StrEnum):
    first = "first"  # 首次注册
    change = "change"  # 变更注册
    renewal = "renewal"  # 延续注册


class PhysicianQualificationCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "110000",
            "certificate_number": "201811110110105194912310",
        }
    )


class PhysicianQualificationFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "201811110110105194912310",
            "issued_on": "2018-12-20",
            "issuer": "国家卫生健康委员会",
            "category": "clinical",
            "assistant": False,
        }
    )

    category: PractitionerCategory | None = Field(default=None, description="Category / 类别")
    assistant: bool | None = Field(default=None, description="Assistant physician / 执业助理医师")


PHYSICIAN_QUALIFICATION_LOOKUP = ServiceItem(
    code="physician-qualification-lookup",
    name_zh="医师资格证书查询核验",
    name_en="Physician qualification certificate verification",
    department=HEALTH,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=PhysicianQualificationCheck,
    result_model=PhysicianQualificationFound,
    summary_zh="核验医师资格证书的类别和真实性。",
    summary_en="Check a physician qualification certificate and its category.",
    cancellable=False,
)


class PracticeRegistration(Strict):
    """Shared by physicians and nurses: who, where, at which institution."""

    applicant: Applicant
    practice_province: ProvinceCode = Field(description="Province of practice / 执业地")
    registration_type: RegistrationType = Field(description="Registration type / 注册类型")
    institution: str = Field(min_length=2, max_length=100, description="Institution / 执业机构")
    institution_credit_code: CreditCode = Field(description="Its credit code / 执业机构信用代码")


class NurseRegistration(PracticeRegistration):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_2,
            "practice_province": "440000",
            "registration_type": "change",
            "institution": "广州市某某医院",
            "institution_credit_code": "91440106MA59AB2C1U",
            "exam_certificate_number": "NK2019440012345",
        }
    )

    exam_certificate_number: CertificateNumber = Field(
        description="Nurse exam pass certificate / 护士执业资格考试成绩合格证明编号"
    )


class PhysicianRegistration(PracticeRegistration):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "practice_province": "440000",
            "registration_type": "change",
            "institution": "广州市某某医院",
            "institution_credit_code": "91440106MA59AB2C1U",
            "qualification_number": "201811110110105194912310",
            "category": "clinical",
            "scope": "内科专业",
        }
    )

    qualification_number: CertificateNumber = Field(
        description="Physician qualification certificate / 医师资格证书编码"
    )
    category: PractitionerCategory = Field(description="Category / 执业类别")
    scope: str = Field(min_length=2, max_length=50, description="Scope of practice / 执业范围")


class PracticeRegistrationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-17",
            "certificate_number": "110440100012345",
            "elicence_id": "440000YSZY2024051700123",
        }
    )


NURSE_PRACTICE_REGISTRATION = ServiceItem(
    code="nurse-practice-registration",
    name_zh="护士执业注册",
    name_en="Nurse practice registration",
    department=HEALTH,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "practice_province",
            "执业地卫生健康部门",
            "Health authority where one practises",
        ),
    ),
    time_limits=limits(20, 5),
    materials=(
        ID_CARD,
        PHOTO,
        material(
            "health-check",
            "6个月内健康体检证明",
            "Medical check within 6 months",
            trust=TrustLevel.C,
        ),
    ),
    source=STANDARD,
    request_model=NurseRegistration,
    result_model=PracticeRegistrationResult,
    summary_zh="护士跨省变更执业机构时，在新执业地在线办理注册，领取电子护士执业证。",
    summary_en="Nurses moving to another province register online at the new place and get an "
    "electronic licence.",
)

PHYSICIAN_PRACTICE_REGISTRATION = ServiceItem(
    code="physician-practice-registration",
    name_zh="医师执业注册",
    name_en="Physician practice registration",
    department=HEALTH,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "practice_province",
            "执业地卫生健康部门",
            "Health authority where one practises",
        ),
    ),
    time_limits=limits(20, 5),
    materials=(
        ID_CARD,
        PHOTO,
        material(
            "qualification",
            "医师资格证书",
            "Physician qualification certificate",
            elicence="physician-qualification",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=PhysicianRegistration,
    result_model=PracticeRegistrationResult,
    summary_zh="医师在新执业地在线办理执业注册或变更注册，领取电子医师执业证。",
    summary_en="Physicians register or change their practice online at the new place.",
)


class VaccinationQuery(Strict):
    model_config = examples(
        {
            "guardian": EX_PERSON,
            "child": {"name": "李小明", "id_number": "110108201806010017"},
            "provinces": ["110000", "440000"],
        }
    )

    guardian: PersonRef = Field(description="Parent or guardian asking / 监护人")
    child: PersonRef = Field(description="Child / 受种者")
    provinces: list[ProvinceCode] = Field(
        min_length=1, max_length=31, description="Provinces vaccinated in / 接种地"
    )


class VaccineDose(BaseModel):
    vaccine: str = Field(description="Vaccine / 疫苗名称")
    dose: int = Field(ge=1, description="Dose number / 剂次")
    given_on: dt.date = Field(description="Date / 接种日期")
    site: str = Field(description="Vaccination clinic / 接种单位")
    province: ProvinceCode


class VaccinationResult(BaseModel):
    model_config = examples(
        {
            "doses": [
                {
                    "vaccine": "麻腮风疫苗",
                    "dose": 1,
                    "given_on": "2019-02-10",
                    "site": "北京市海淀区某某社区卫生服务中心",
                    "province": "110000",
                }
            ]
        }
    )

    doses: list[VaccineDose] = Field(default_factory=list, description="Doses given / 接种记录")


VACCINATION_RECORD_LOOKUP = ServiceItem(
    code="vaccination-record-lookup",
    name_zh="儿童预防接种记录查询",
    name_en="Child vaccination record lookup",
    department=HEALTH,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "provinces", "接种地", "Provinces vaccinated in", many=True),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=VaccinationQuery,
    result_model=VaccinationResult,
    summary_zh="监护人查询儿童在各地的预防接种记录，用于入托入学查验。",
    summary_en="Guardians look up a child's vaccinations across provinces, e.g. for school entry.",
    cancellable=False,
)


class BirthCertificateReason(StrEnum):
    lost = "lost"  # 遗失补发
    damaged = "damaged"  # 损毁换发
    error = "error"  # 信息有误换发


class BirthCertificateReissue(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_2,
            "birth_province": "510000",
            "child_name": "李小明",
            "child_sex": "male",
            "birth_date": "2018-06-01",
            "certificate_number": "Q510123456",
            "reason": "lost",
            "delivery": {"method": "post", "address": "广东省广州市天河区体育西路1号"},
        }
    )

    applicant: Applicant = Field(description="Parent applying / 申请人（父或母）")
    birth_province: ProvinceCode = Field(description="Province of birth / 出生地")
    child_name: str = Field(min_length=1, max_length=50, description="Child's name / 新生儿姓名")
    child_sex: Sex = Field(description="Child's sex / 性别")
    birth_date: PastDate = Field(description="Date of birth / 出生日期")
    certificate_number: str | None = Field(
        default=None, pattern=r"^[A-Z]\d{9}$", description="Original number / 原证编号"
    )
    reason: BirthCertificateReason = Field(description="Why / 补换原因")
    delivery: Delivery = Field(description="How it is delivered / 送达方式")


class BirthCertificateResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-21",
            "certificate_number": "T510654321",
            "tracking_number": "EMS3344556677",
        }
    )


BIRTH_CERTIFICATE_REISSUE = ServiceItem(
    code="birth-certificate-reissue",
    name_zh="出生医学证明补发、换发",
    name_en="Birth medical certificate reissue",
    department=HEALTH,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role("competent", "birth_province", "出生地签发机构", "Issuer where the child was born"),
    ),
    time_limits=limits(20, 10),
    materials=(ID_CARD, HUKOU_BOOKLET),
    source=STANDARD,
    request_model=BirthCertificateReissue,
    result_model=BirthCertificateResult,
    summary_zh="在外省出生的孩子，父母异地申请出生医学证明补发、换发。",
    summary_en="Parents apply from afar to replace a birth certificate issued in another province.",
)


ITEMS: tuple[ServiceItem, ...] = (
    PHYSICIAN_QUALIFICATION_LOOKUP,
    NURSE_PRACTICE_REGISTRATION,
    PHYSICIAN_PRACTICE_REGISTRATION,
    VACCINATION_RECORD_LOOKUP,
    BIRTH_CERTIFICATE_REISSUE,
)
