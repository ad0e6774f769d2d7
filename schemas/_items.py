"""Shorthands for writing item descriptors: sources, time limits, roles, materials, examples.

Department modules stay declarative; what is said the same way across many items is said
once here, so a reviewer can compare items rather than boilerplate.
"""

from __future__ import annotations

from pydantic import ConfigDict
from pydantic.config import JsonDict

from schemas._model import FeeRule, Material, Role, RoleName, TimeLimits, TrustLevel

# --- sources (never invent a document number: an item not named in a public source is a
# "department standard item") -----------------------------------------------------------

SRC_2020 = "State Council executive meeting, 2020-09-17; 国办发〔2020〕35号 (2020 batch)"
SRC_2021 = "State Council executive meeting, 2020-09-17; 国办发〔2020〕35号 (2021 batch)"
SRC_SEED_SOCIAL = (
    "State Council executive meeting, 2020-09-17 (applications, payments and information "
    "regarding social insurance)"
)
SRC_HOUSING_FUND = "Housing provident fund inter-provincial items (public announcements)"
STANDARD = "department standard item"

# --- time limits -------------------------------------------------------------------------

INSTANT = TimeLimits(note="answered at once / 即时办结")


def limits(statutory: int | None, promised: int | None, note: str = "") -> TimeLimits:
    """Working days: the law's limit (法定时限) and the promised one (承诺时限)."""
    return TimeLimits(statutory_days=statutory, promised_days=promised, note=note)


# --- roles and fees ---------------------------------------------------------------------


def role(
    name: RoleName,
    field: str,
    zh: str,
    en: str,
    *,
    order: int = 0,
    pivot: bool = False,
    many: bool = False,
) -> Role:
    return Role(
        name=name,
        field=field,
        order=order,
        pivot=pivot,
        many=many,
        description_zh=zh,
        description_en=en,
    )


NOTARY_FEE = FeeRule(
    charged_by_province=True,
    basis_zh="按公证处所在省份价格主管部门核定的公证收费标准收取",
    basis_en="Notarial fee at the rate set by the notary office's provincial price authority",
)

# --- materials --------------------------------------------------------------------------


def material(
    code: str,
    zh: str,
    en: str,
    *,
    elicence: str | None = None,
    trust: TrustLevel = TrustLevel.C,
    required: bool = True,
) -> Material:
    return Material(
        code=code, name_zh=zh, name_en=en, elicence=elicence, min_trust=trust, required=required
    )


ID_CARD = material(
    "id-card", "居民身份证", "Resident ID card", elicence="resident-id-card", trust=TrustLevel.B
)
HUKOU_BOOKLET = material(
    "hukou-booklet",
    "居民户口簿",
    "Household register booklet",
    elicence="household-register",
    trust=TrustLevel.B,
)
RESIDENCE_PERMIT = material(
    "residence-permit",
    "居住证",
    "Residence permit",
    elicence="residence-permit",
    trust=TrustLevel.A,
)
BUSINESS_LICENCE = material(
    "business-licence",
    "营业执照",
    "Business licence",
    elicence="business-licence",
    trust=TrustLevel.A,
)
PHOTO = material("photo", "近期免冠证件照", "Recent ID photo", trust=TrustLevel.C)
POWER_OF_ATTORNEY = material(
    "power-of-attorney",
    "授权委托书（代办时）",
    "Power of attorney (when filed by an agent)",
    required=False,
    trust=TrustLevel.C,
)
APPLICATION_FORM = material(
    "application-form",
    "申请表（在线填写）",
    "Application form (filled in online)",
    trust=TrustLevel.D,
)
MARRIAGE_CERTIFICATE = material(
    "marriage-certificate",
    "结婚证",
    "Marriage certificate",
    elicence="marriage-certificate",
    trust=TrustLevel.A,
)


# --- examples ---------------------------------------------------------------------------


def examples(*items: JsonDict) -> ConfigDict:
    """``model_config`` carrying OpenAPI examples; every example must validate (tested)."""
    return ConfigDict(json_schema_extra={"examples": list(items)})


# Sample identifiers: valid check digits (python-stdnum), not real people or companies.
EX_PERSON: JsonDict = {"name": "张三", "id_number": "11010519491231002X"}
EX_APPLICANT: JsonDict = {**EX_PERSON, "phone": "13800138000"}
EX_APPLICANT_2: JsonDict = {
    "name": "李四",
    "id_number": "440106198503150011",
    "phone": "13912345678",
}
EX_APPLICANT_3: JsonDict = {
    "name": "王芳",
    "id_number": "510107199007040023",
    "phone": "13688889999",
}
EX_ENTERPRISE: JsonDict = {
    "name": "广州市某某科技有限公司",
    "credit_code": "91440101MA5CN1X9A2",
    "legal_representative": "李四",
    "contact_phone": "020-38881234",
}
EX_ENTERPRISE_2: JsonDict = {
    "name": "北京某某商贸有限公司",
    "credit_code": "91110000600037341L",
    "legal_representative": "张三",
    "contact_phone": "13800138000",
}
