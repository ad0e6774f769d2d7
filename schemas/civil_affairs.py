"""Civil affairs (民政) items: marriage registration away from the hukou place, allowances.

Marriage and divorce registration went cross-province as a pilot on 2021-06-01; eligibility
rests on a residence permit in the province of registration.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator
from pydantic.config import JsonDict

from schemas._common import (
    Applicant,
    CaseDecision,
    CertificateDecision,
    PersonRef,
    Strict,
    conflict,
)
from schemas._fields import BankCard, Money, PastDate, ProvinceCode, YearMonth
from schemas._items import (
    EX_APPLICANT_2,
    EX_APPLICANT_3,
    EX_PERSON,
    HUKOU_BOOKLET,
    ID_CARD,
    INSTANT,
    MARRIAGE_CERTIFICATE,
    PHOTO,
    RESIDENCE_PERMIT,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TimeLimits, TrustLevel

CIVIL = Department.civil_affairs
SRC_MARRIAGE = (
    "Marriage registration cross-province pilot from 2021-06-01 (Ministry of Civil Affairs)"
)
_REGISTRY = role(
    "competent",
    "registration_province",
    "登记地（一方经常居住地）婚姻登记机关",
    "Registry where one party usually lives",
)


class MarriageParties(Strict):
    """Both parties of a marriage or divorce registration; both appear in person."""

    party_a: Applicant = Field(description="First party / 当事人一方")
    party_b: Applicant = Field(description="Second party / 当事人另一方")
    registration_province: ProvinceCode = Field(description="Province of the registry / 登记地")

    @model_validator(mode="after")
    def _two_people(self) -> MarriageParties:
        if self.party_a.id_number == self.party_b.id_number:
            raise conflict(
                "party_a and party_b are the same person / 双方为同一人",
                "party_a.id_number",
                "party_b.id_number",
            )
        return self


_EX_COUPLE: JsonDict = {
    "party_a": EX_APPLICANT_2,
    "party_b": EX_APPLICANT_3,
    "registration_province": "440000",
}


class MarriageParty(StrEnum):
    a = "party_a"
    b = "party_b"


class MarriageRegistration(MarriageParties):
    model_config = examples({**_EX_COUPLE, "residence_permit_holder": "party_b"})

    residence_permit_holder: MarriageParty = Field(
        description="Which party holds the residence permit there / 持居住证的一方",
    )


class MarriageRegistrationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-20",
            "certificate_number": "J440106-2024-001234",
            "elicence_id": "440000JHZ2024052000123",
        }
    )


MARRIAGE_REGISTRATION = ServiceItem(
    code="marriage-registration",
    name_zh="内地居民结婚登记",
    name_en="Marriage registration",
    department=CIVIL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.counter,),
    roles=(_REGISTRY,),
    time_limits=limits(None, 0, "registered on the spot / 当场办结"),
    materials=(ID_CARD, HUKOU_BOOKLET, RESIDENCE_PERMIT, PHOTO),
    source=SRC_MARRIAGE,
    request_model=MarriageRegistration,
    result_model=MarriageRegistrationResult,
    summary_zh="一方持居住证的，可在经常居住地办理结婚登记，双方须亲自到场。",
    summary_en="Marry where one party lives on a residence permit; both appear in person.",
)


class DivorceRegistration(MarriageParties):
    model_config = examples(
        {
            **_EX_COUPLE,
            "marriage_certificate_number": "J440106-2020-000456",
            "children_arranged": True,
            "property_arranged": True,
        }
    )

    marriage_certificate_number: str = Field(
        min_length=4, max_length=30, description="Marriage certificate number / 结婚证字号"
    )
    children_arranged: bool = Field(description="Agreement on children / 已协商子女抚养")
    property_arranged: bool = Field(description="Agreement on property and debts / 已协商财产债务")


class DivorceRegistrationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-07-15",
            "certificate_number": "L440106-2024-000321",
            "cooling_off_ends": "2024-07-10",
        }
    )

    cooling_off_ends: dt.date | None = Field(
        default=None, description="Cooling-off period ends / 离婚冷静期届满日"
    )


DIVORCE_REGISTRATION = ServiceItem(
    code="divorce-registration",
    name_zh="内地居民离婚登记",
    name_en="Divorce registration",
    department=CIVIL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.counter,),
    roles=(_REGISTRY,),
    time_limits=TimeLimits(note="30-day cooling-off, then 30 days to confirm / 离婚冷静期30日"),
    materials=(
        ID_CARD,
        HUKOU_BOOKLET,
        RESIDENCE_PERMIT,
        MARRIAGE_CERTIFICATE,
        material(
            "divorce-agreement",
            "离婚协议书",
            "Divorce agreement",
            trust=TrustLevel.B,
        ),
    ),
    source=SRC_MARRIAGE,
    request_model=DivorceRegistration,
    result_model=DivorceRegistrationResult,
    summary_zh="一方持居住证的，可在经常居住地申请离婚登记，经冷静期后双方到场领证。",
    summary_en="Apply for divorce where one party lives; after the cooling-off both appear.",
)


class CertificateReissue(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_3,
            "registration_province": "510000",
            "registered_on": "2016-10-01",
        }
    )

    applicant: Applicant
    registration_province: ProvinceCode = Field(description="Where it was registered / 原登记地")
    registered_on: PastDate | None = Field(default=None, description="Registration date / 登记日期")


class CertificateReissueResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-28",
            "certificate_number": "BJ440106-2024-000099",
        }
    )


MARRIAGE_CERTIFICATE_REISSUE = ServiceItem(
    code="marriage-certificate-reissue",
    name_zh="补领婚姻登记证",
    name_en="Reissue of a marriage or divorce certificate",
    department=CIVIL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.counter,),
    roles=(
        role(
            "competent", "registration_province", "原婚姻登记地", "Registry of the original record"
        ),
    ),
    time_limits=limits(None, 0, "on the spot when the record is found / 档案可查即当场办结"),
    materials=(ID_CARD, HUKOU_BOOKLET, PHOTO),
    source=STANDARD,
    request_model=CertificateReissue,
    result_model=CertificateReissueResult,
    summary_zh="结婚证、离婚证遗失或损毁的，在现居住地申请补领。",
    summary_en="Replace a lost marriage or divorce certificate where one lives now.",
)


class MarriageEvent(StrEnum):
    marriage = "marriage"
    divorce = "divorce"
    reissue = "reissue"


class MarriageRecordsQuery(Strict):
    model_config = examples({"person": EX_PERSON, "provinces": ["440000", "510000"]})

    person: PersonRef
    provinces: list[ProvinceCode] = Field(
        min_length=1, max_length=31, description="Provinces to ask / 查询省份"
    )


class MarriageRecord(BaseModel):
    event: MarriageEvent = Field(description="Registration type / 登记类型")
    registered_on: dt.date = Field(description="Date / 登记日期")
    registry: str = Field(description="Registry / 登记机关")
    other_party: str | None = Field(default=None, description="Other party, masked / 对方（脱敏）")


class MarriageRecordsResult(BaseModel):
    model_config = examples(
        {
            "records": [
                {
                    "event": "marriage",
                    "registered_on": "2016-10-01",
                    "registry": "成都市武侯区民政局",
                    "other_party": "李*",
                }
            ]
        }
    )

    records: list[MarriageRecord] = Field(default_factory=list, description="Records / 登记记录")


MARRIAGE_RECORDS_LOOKUP = ServiceItem(
    code="marriage-records-lookup",
    name_zh="婚姻登记档案查询",
    name_en="Marriage registration records lookup",
    department=CIVIL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "provinces", "被查询的登记地", "Provinces asked", many=True),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=MarriageRecordsQuery,
    result_model=MarriageRecordsResult,
    summary_zh="查询本人的婚姻登记档案记录。",
    summary_en="Look up one's own marriage registration records.",
    cancellable=False,
)


class DisabilityAllowance(StrEnum):
    living = "living"  # 困难残疾人生活补贴
    nursing = "nursing"  # 重度残疾人护理补贴


class DisabilityAllowanceClaim(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT_2,
            "hukou_province": "510000",
            "disability_certificate_number": "44010619850315001142",
            "allowances": ["nursing"],
            "bank_card": "6222020200112233446",
        }
    )

    applicant: Applicant
    hukou_province: ProvinceCode = Field(description="Province of the hukou / 户籍地")
    disability_certificate_number: str = Field(
        pattern=r"^\d{17}[\dX]\d{2}$", description="Disability certificate number / 残疾人证号"
    )
    allowances: list[DisabilityAllowance] = Field(
        min_length=1, description="Allowances claimed / 申请补贴"
    )
    bank_card: BankCard = Field(description="Card paid to / 收款银行卡")


class DisabilityAllowanceResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-18",
            "monthly_living": None,
            "monthly_nursing": "100.00",
            "first_month": "2024-07",
        }
    )

    monthly_living: Money | None = Field(default=None, description="Living allowance / 生活补贴")
    monthly_nursing: Money | None = Field(default=None, description="Nursing allowance / 护理补贴")
    first_month: YearMonth | None = Field(default=None, description="Paid from / 发放起始年月")


DISABILITY_ALLOWANCE_CLAIM = ServiceItem(
    code="disability-allowance-claim",
    name_zh="困难残疾人生活补贴和重度残疾人护理补贴申领",
    name_en="Living and nursing allowances for persons with disabilities",
    department=CIVIL,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role("competent", "hukou_province", "户籍地民政部门", "Civil affairs of the hukou place"),
    ),
    time_limits=limits(30, 20),
    materials=(
        ID_CARD,
        material(
            "disability-certificate",
            "残疾人证",
            "Disability certificate",
            elicence="disability-certificate",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=DisabilityAllowanceClaim,
    result_model=DisabilityAllowanceResult,
    summary_zh="残疾人在居住地向户籍地申请两项补贴。",
    summary_en="Persons with disabilities apply to their hukou place for the two allowances.",
)


ITEMS: tuple[ServiceItem, ...] = (
    MARRIAGE_REGISTRATION,
    DIVORCE_REGISTRATION,
    MARRIAGE_CERTIFICATE_REISSUE,
    MARRIAGE_RECORDS_LOOKUP,
    DISABILITY_ALLOWANCE_CLAIM,
)
