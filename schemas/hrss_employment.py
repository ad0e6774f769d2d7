"""HRSS employment items: certificates to verify, unemployment benefit, training, files."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CaseDecision,
    CertificateCheck,
    CertificateFound,
    PersonRef,
    Strict,
)
from schemas._fields import (
    BankCard,
    CertificateNumber,
    Money,
    PastDate,
    ProvinceCode,
    YearMonth,
)
from schemas._items import (
    EX_APPLICANT,
    EX_PERSON,
    ID_CARD,
    INSTANT,
    SRC_2020,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

HRSS = Department.hrss
_ISSUER = role("target", "issuing_province", "发证地", "Province that issued the certificate")


class SkillLevel(StrEnum):
    """National occupational levels (国家职业资格 / 职业技能等级), level 5 the lowest."""

    level_1 = "1"  # 一级/高级技师
    level_2 = "2"  # 二级/技师
    level_3 = "3"  # 三级/高级工
    level_4 = "4"  # 四级/中级工
    level_5 = "5"  # 五级/初级工


# --- professional qualification certificate verification (职业资格证书核验) ----------------


class ProfessionalQualificationCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "440000",
            "certificate_number": "1544000000300123",
        }
    )


class ProfessionalQualificationFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "1544000000300123",
            "issued_on": "2015-06-30",
            "issuer": "广东省人力资源和社会保障厅",
            "occupation": "电工",
            "level": "3",
        }
    )

    occupation: str | None = Field(default=None, description="Occupation / 职业（工种）")
    level: SkillLevel | None = Field(default=None, description="Level / 等级")


PROFESSIONAL_QUALIFICATION_VERIFICATION = ServiceItem(
    code="professional-qualification-verification",
    name_zh="职业资格证书核验",
    name_en="Professional qualification certificate verification",
    department=HRSS,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(_ISSUER,),
    time_limits=INSTANT,
    source=SRC_2020,
    request_model=ProfessionalQualificationCheck,
    result_model=ProfessionalQualificationFound,
    summary_zh="核验人社部门颁发的职业资格证书是否真实有效。",
    summary_en="Check that a professional qualification certificate is genuine and valid.",
    cancellable=False,
)


# --- skill level certificate verification (职业技能等级证书查询核验) ----------------------


class SkillCertificateCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "510000",
            "certificate_number": "S000051000001213000123",
        }
    )


class SkillCertificateFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "S000051000001213000123",
            "issued_on": "2022-11-20",
            "issuer": "四川某某职业技能等级认定机构",
            "occupation": "育婴员",
            "level": "4",
        }
    )

    occupation: str | None = Field(default=None, description="Occupation / 职业（工种）")
    level: SkillLevel | None = Field(default=None, description="Level / 等级")


SKILL_CERTIFICATE_VERIFICATION = ServiceItem(
    code="skill-certificate-verification",
    name_zh="职业技能等级证书查询核验",
    name_en="Vocational skill level certificate verification",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(_ISSUER,),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=SkillCertificateCheck,
    result_model=SkillCertificateFound,
    summary_zh="核验职业技能等级证书的真实性和等级。",
    summary_en="Check a vocational skill level certificate and its level.",
    cancellable=False,
)


# --- technician college diploma verification (技工院校毕业证书查询核验) -------------------


class TechnicianDiplomaCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "440000",
            "certificate_number": "4401201900321",
        }
    )


class TechnicianDiplomaFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "4401201900321",
            "issued_on": "2019-07-01",
            "issuer": "广东省人力资源和社会保障厅",
            "school": "广州市某某技师学院",
            "major": "数控加工",
            "graduated_on": "2019-07-01",
        }
    )

    school: str | None = Field(default=None, description="School / 技工院校")
    major: str | None = Field(default=None, description="Major / 专业")
    graduated_on: dt.date | None = Field(default=None, description="Graduation date / 毕业日期")


TECHNICIAN_DIPLOMA_VERIFICATION = ServiceItem(
    code="technician-diploma-verification",
    name_zh="技工院校毕业证书查询核验",
    name_en="Technician college diploma verification",
    department=HRSS,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(_ISSUER,),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=TechnicianDiplomaCheck,
    result_model=TechnicianDiplomaFound,
    summary_zh="查询核验技工院校毕业证书。",
    summary_en="Check a diploma from a technician college.",
    cancellable=False,
)


# --- employment and entrepreneurship certificate (就业创业证查询核验) ---------------------


class EmploymentStatus(StrEnum):
    employed = "employed"
    unemployed = "unemployed"
    self_employed = "self-employed"


class EmploymentCertificateCheck(Strict):
    model_config = examples({"person": EX_PERSON, "issuing_province": "440000"})

    person: PersonRef
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")


class EmploymentCertificateFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "4401062024000123",
            "issued_on": "2024-03-04",
            "issuer": "广州市天河区人力资源和社会保障局",
            "employment_status": "unemployed",
            "registered_unemployed_since": "2024-03-04",
        }
    )

    employment_status: EmploymentStatus | None = Field(
        default=None, description="Status on record / 就业失业状态"
    )
    registered_unemployed_since: dt.date | None = Field(
        default=None, description="Registered unemployed since / 失业登记日期"
    )


EMPLOYMENT_CERTIFICATE_VERIFICATION = ServiceItem(
    code="employment-certificate-verification",
    name_zh="就业创业证查询核验",
    name_en="Employment and entrepreneurship certificate verification",
    department=HRSS,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(_ISSUER,),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=EmploymentCertificateCheck,
    result_model=EmploymentCertificateFound,
    summary_zh="查询核验就业创业证及其记载的就业失业状态。",
    summary_en="Check an employment and entrepreneurship certificate and the status it records.",
    cancellable=False,
)


# --- unemployment benefit claim (失业保险金申领) ------------------------------------------


class UnemploymentBenefitClaim(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "insured_province": "440000",
            "unemployment_date": "2024-02-29",
            "registration_number": "4401062024000123",
            "bank_card": "6222020200112233446",
        }
    )

    applicant: Applicant
    insured_province: ProvinceCode = Field(description="Last insured province / 参保地")
    unemployment_date: PastDate = Field(description="Date employment ended / 失业日期")
    registration_number: str | None = Field(
        default=None, max_length=30, description="Unemployment registration number / 失业登记编号"
    )
    bank_card: BankCard = Field(description="Card the benefit is paid to / 领取待遇的银行卡")


class UnemploymentBenefitResult(CaseDecision):
    model_config = examples(
        {
            "decision_number": "穗人社失金〔2024〕0456号",
            "decided_on": "2024-03-08",
            "benefit_months": 12,
            "monthly_amount": "1800.00",
            "first_month": "2024-03",
        }
    )

    benefit_months: int | None = Field(default=None, ge=0, le=24, description="Months / 领取月数")
    monthly_amount: Money | None = Field(default=None, description="Monthly amount / 月发放标准")
    first_month: YearMonth | None = Field(
        default=None, description="First month paid / 首次发放年月"
    )


UNEMPLOYMENT_BENEFIT_CLAIM = ServiceItem(
    code="unemployment-benefit-claim",
    name_zh="失业保险金申领",
    name_en="Unemployment benefit claim",
    department=HRSS,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "insured_province", "参保地", "Last insured province"),),
    time_limits=limits(10, 5),
    materials=(ID_CARD,),
    source=STANDARD,
    request_model=UnemploymentBenefitClaim,
    result_model=UnemploymentBenefitResult,
    summary_zh="失业人员向参保地申领失业保险金，无需返回参保地。",
    summary_en="Claim unemployment benefit from the insured province without going back there.",
)


# --- vocational training subsidy (职业培训补贴申领) ---------------------------------------


class TrainingSubsidyClaim(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "training_province": "440000",
            "training_provider": "广州市某某职业培训学校",
            "training_ended_on": "2024-05-31",
            "certificate_number": "S000044000001213000456",
            "bank_card": "6222020200112233446",
        }
    )

    applicant: Applicant
    training_province: ProvinceCode = Field(description="Province of the training / 培训地")
    training_provider: str = Field(
        min_length=2, max_length=100, description="Training provider / 培训机构"
    )
    training_ended_on: PastDate = Field(description="Training end date / 培训结束日期")
    certificate_number: CertificateNumber = Field(
        description="Certificate obtained / 取得的证书编号"
    )
    bank_card: BankCard = Field(description="Card the subsidy is paid to / 收款银行卡")


class TrainingSubsidyResult(CaseDecision):
    model_config = examples({"decided_on": "2024-07-02", "approved_amount": "1500.00"})

    approved_amount: Money | None = Field(default=None, description="Subsidy granted / 核定补贴")


VOCATIONAL_TRAINING_SUBSIDY = ServiceItem(
    code="vocational-training-subsidy",
    name_zh="职业培训补贴申领",
    name_en="Vocational training subsidy claim",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "training_province", "培训地", "Province of the training"),),
    time_limits=limits(30, 20),
    materials=(
        ID_CARD,
        material(
            "skill-certificate",
            "职业资格或职业技能等级证书",
            "Qualification or skill certificate",
            elicence="skill-level-certificate",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=TrainingSubsidyClaim,
    result_model=TrainingSubsidyResult,
    summary_zh="参加职业培训并取得证书的劳动者向培训地申领职业培训补贴。",
    summary_en="Workers who trained and were certified claim the training subsidy.",
)


# --- personnel file transfer (流动人员人事档案转递) ---------------------------------------


class FileTransferReason(StrEnum):
    new_job = "new-job"
    graduation = "graduation"
    relocation = "relocation"


class PersonnelFileTransfer(BetweenProvinces):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "origin_province": "510000",
            "destination_province": "440000",
            "receiving_agency": "广东省人才交流服务中心",
            "reason": "new-job",
        }
    )

    applicant: Applicant
    receiving_agency: str = Field(
        min_length=2, max_length=100, description="Agency that will keep the file / 接收档案机构"
    )
    reason: FileTransferReason = Field(description="Why the file moves / 转递原因")


class PersonnelFileTransferResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-04-25",
            "dispatch_number": "JY2024042500031",
            "received_on": "2024-04-30",
        }
    )

    dispatch_number: str | None = Field(default=None, description="Confidential dispatch / 机要号")
    received_on: dt.date | None = Field(default=None, description="Date received / 接收日期")


PERSONNEL_FILE_TRANSFER = ServiceItem(
    code="personnel-file-transfer",
    name_zh="流动人员人事档案转递",
    name_en="Personnel file transfer between provinces",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.joint),
    roles=(
        # The receiving agency issues the transfer letter (调档函) first; once the keeping
        # agency has dispatched the sealed file, it cannot be recalled.
        role(
            "destination",
            "destination_province",
            "接收地（出具调档函）",
            "Receiving side (issues the transfer letter)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "转出地（寄出档案）",
            "Keeping side (dispatches the file)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(20, 10),
    materials=(ID_CARD,),
    source=STANDARD,
    request_model=PersonnelFileTransfer,
    result_model=PersonnelFileTransferResult,
    summary_zh="流动人员人事档案在两省公共就业和人才服务机构之间转递。",
    summary_en="Move a personnel file between public employment and talent agencies.",
)


ITEMS: tuple[ServiceItem, ...] = (
    PROFESSIONAL_QUALIFICATION_VERIFICATION,
    SKILL_CERTIFICATE_VERIFICATION,
    TECHNICIAN_DIPLOMA_VERIFICATION,
    EMPLOYMENT_CERTIFICATE_VERIFICATION,
    UNEMPLOYMENT_BENEFIT_CLAIM,
    VOCATIONAL_TRAINING_SUBSIDY,
    PERSONNEL_FILE_TRANSFER,
)
