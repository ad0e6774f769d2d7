"""Public security identity items: ID cards away from home, record certificates, permits.

ID cards away from home are received at a counter where the applicant lives (fingerprints,
photo) and made by the hukou place; the counter and its province are recorded by the counter
terminal (``schemas._counter``), so the request names only the competent hukou province.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas._common import Applicant, CertificateDecision, Delivery, Strict
from schemas._fields import CountryCode, ProvinceCode
from schemas._items import (
    EX_APPLICANT,
    ID_CARD,
    PHOTO,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import (
    Department,
    FeeRule,
    Kind,
    Mode,
    Role,
    ServiceItem,
    Subject,
    TimeLimits,
    TrustLevel,
)

POLICE = Department.public_security
_HUKOU: Role = role("competent", "hukou_province", "户籍地公安机关", "Police of the hukou place")
ID_CARD_FEE = FeeRule(
    charged_by_province=True,
    basis_zh="居民身份证工本费，按国家规定标准收取",
    basis_en="ID card production fee at the nationally set rate",
)


class IdCardReason(StrEnum):
    expired = "expired"  # 有效期满换领
    lost = "lost"  # 遗失补领
    damaged = "damaged"  # 损坏换领
    details_changed = "details-changed"  # 登记项目变更换领


class IdCardAway(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "hukou_province": "110000",
            "reason": "expired",
            "delivery": {"method": "counter-pickup"},
        }
    )

    applicant: Applicant
    hukou_province: ProvinceCode = Field(description="Province of the hukou / 户籍地")
    reason: IdCardReason = Field(description="Why a card is needed / 申领原因")
    delivery: Delivery = Field(description="How the card is collected / 领取方式")


class IdCardResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-30",
            "valid_until": "2044-05-30",
            "tracking_number": "EMS1122334455",
        }
    )


ID_CARD_RENEWAL_AWAY = ServiceItem(
    code="id-card-renewal-away",
    name_zh="异地换领、补领居民身份证",
    name_en="Resident ID card renewal or replacement away from the hukou place",
    department=POLICE,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.counter,),
    roles=(_HUKOU,),
    time_limits=TimeLimits(
        promised_days=20, note="the ID card law allows 60 days / 法定60日内发放"
    ),
    fee=ID_CARD_FEE,
    materials=(ID_CARD, PHOTO),
    source=STANDARD,
    request_model=IdCardAway,
    result_model=IdCardResult,
    summary_zh="在现居住地公安机关换领、补领居民身份证，采集指纹和相片后由户籍地制证。",
    summary_en="Renew or replace an ID card where one lives; fingerprints and photo are taken "
    "there and the hukou place makes the card.",
)


class TemporaryIdCard(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "hukou_province": "110000",
            "pending_application": "4401062024053000123",
        }
    )

    applicant: Applicant
    hukou_province: ProvinceCode = Field(description="Province of the hukou / 户籍地")
    pending_application: str | None = Field(
        default=None,
        max_length=30,
        description="Pending ID card application it bridges / 正在办理的身份证受理号",
    )


class TemporaryIdCardResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-30",
            "certificate_number": "LS440106202405300012",
            "valid_until": "2024-08-30",
        }
    )


TEMPORARY_ID_CARD = ServiceItem(
    code="temporary-id-card",
    name_zh="异地申领临时居民身份证",
    name_en="Temporary resident ID card away from the hukou place",
    department=POLICE,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.counter,),
    roles=(_HUKOU,),
    time_limits=limits(3, 1),
    fee=FeeRule(
        charged_by_province=True,
        basis_zh="临时居民身份证工本费，按国家规定标准收取",
        basis_en="Temporary ID card production fee at the nationally set rate",
    ),
    materials=(PHOTO,),
    source=STANDARD,
    request_model=TemporaryIdCard,
    result_model=TemporaryIdCardResult,
    summary_zh="等待换领身份证期间，在现居住地申领临时居民身份证。",
    summary_en="Get a temporary ID card where one lives while the new card is being made.",
)


class RecordPurpose(StrEnum):
    employment = "employment"  # 就业
    study_abroad = "study-abroad"  # 出国留学
    visa = "visa"  # 签证、移民
    adoption = "adoption"  # 收养
    other = "other"


class CriminalRecordRequest(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "competent_province": "110000",
            "purpose": "visa",
            "destination_country": "DE",
            "delivery": {"method": "online"},
        }
    )

    applicant: Applicant
    competent_province: ProvinceCode = Field(
        description="Hukou or residence province whose police issue it / 户籍地或居住地"
    )
    purpose: RecordPurpose = Field(description="What it is for / 证明用途")
    destination_country: CountryCode | None = Field(
        default=None, description="Country it is for, if abroad / 使用国家或地区"
    )
    delivery: Delivery = Field(description="How it is delivered / 送达方式")


class CriminalRecordResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-04-08",
            "certificate_number": "京公（朝）证字〔2024〕第0123号",
            "elicence_id": "110000WFZJL2024040800123",
            "record_found": False,
        }
    )

    record_found: bool | None = Field(
        default=None, description="A criminal record was found / 是否查有犯罪记录"
    )


CRIMINAL_RECORD_CERTIFICATE = ServiceItem(
    code="criminal-record-certificate",
    name_zh="开具无犯罪记录证明",
    name_en="Certificate of no criminal record",
    department=POLICE,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "competent_province",
            "户籍地或居住地公安机关",
            "Police of the hukou or residence place",
        ),
    ),
    time_limits=limits(7, 3),
    materials=(ID_CARD,),
    source=STANDARD,
    request_model=CriminalRecordRequest,
    result_model=CriminalRecordResult,
    summary_zh="向户籍地或居住地公安机关在线申请无犯罪记录证明。",
    summary_en="Apply online to the hukou or residence police for a certificate of no criminal "
    "record.",
)


class TravelDestination(StrEnum):
    hong_kong = "hong-kong"
    macao = "macao"


class EndorsementType(StrEnum):
    tourism = "tourism"  # 团队旅游 / 个人旅游
    family_visit = "family-visit"  # 探亲
    business = "business"  # 商务


class EndorsementRequest(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "hukou_province": "110000",
            "permit_number": "C12345678",
            "destination": "hong-kong",
            "endorsement": "tourism",
            "entries": 1,
        }
    )

    applicant: Applicant
    hukou_province: ProvinceCode = Field(description="Province of the hukou / 户籍地")
    permit_number: str = Field(
        pattern=r"^C[0-9A-HJ-NP-Z]{8}$",
        description="Mainland travel permit for HK and Macao / 往来港澳通行证号码",
    )
    destination: TravelDestination = Field(description="Where to / 前往地")
    endorsement: EndorsementType = Field(description="Endorsement type / 签注种类")
    entries: int = Field(ge=1, le=2, description="Entries / 签注次数")


class EndorsementResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-06",
            "certificate_number": "C12345678",
            "valid_until": "2024-08-06",
            "entries_left": 1,
        }
    )

    entries_left: int | None = Field(default=None, ge=0, description="Entries granted / 签注次数")


EXIT_ENTRY_ENDORSEMENT = ServiceItem(
    code="exit-entry-endorsement",
    name_zh="往来港澳通行证再次签注",
    name_en="Repeat endorsement for travel to Hong Kong and Macao",
    department=POLICE,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(_HUKOU,),
    time_limits=limits(7, 1),
    fee=FeeRule(
        charged_by_province=True,
        basis_zh="签注费，按国家规定标准收取",
        basis_en="Endorsement fee at the nationally set rate",
    ),
    materials=(
        ID_CARD,
        material(
            "travel-permit",
            "往来港澳通行证（电子证件）",
            "Travel permit (electronic)",
            trust=TrustLevel.B,
        ),
    ),
    source=STANDARD,
    request_model=EndorsementRequest,
    result_model=EndorsementResult,
    summary_zh="持电子往来港澳通行证在线或在任一出入境窗口办理再次签注。",
    summary_en="Renew an endorsement on the electronic HK and Macao travel permit online or at "
    "any exit-entry counter.",
)


ITEMS: tuple[ServiceItem, ...] = (
    ID_CARD_RENEWAL_AWAY,
    TEMPORARY_ID_CARD,
    CRIMINAL_RECORD_CERTIFICATE,
    EXIT_ENTRY_ENDORSEMENT,
)
