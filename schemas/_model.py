"""The service item descriptor: one of the 132 inter-provincial services, as data.

An item is never a code branch in the gateway. Routes, OpenAPI operations, routing and
adapter translation are all driven by the fields below, so adding item 133 is adding one
``ServiceItem`` (and its two models) to a department module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Subject(StrEnum):
    individual = "individual"
    enterprise = "enterprise"


class Kind(StrEnum):
    query = "query"  # answered at once, nothing is stored
    application = "application"  # opens a durable case (办件)


class Mode(StrEnum):
    online = "online"  # 全程网办
    counter = "counter"  # 异地代收代办
    joint = "joint"  # 多地联办


class TrustLevel(StrEnum):
    """E-licence (电子证照) trust levels, strongest first."""

    A = "A"  # issued with the authority's e-seal
    B = "B"  # checked by window staff
    C = "C"  # uploaded by the applicant; original must be checked
    D = "D"  # self-declared


class Department(StrEnum):
    hrss = "hrss"
    medical_insurance = "medical-insurance"
    housing_fund = "housing-fund"
    public_security = "public-security"
    civil_affairs = "civil-affairs"
    education = "education"
    transport = "transport"
    market_regulation = "market-regulation"
    ecology_environment = "ecology-environment"
    health = "health"
    justice = "justice"
    natural_resources = "natural-resources"
    electricity = "electricity"
    taxation = "taxation"
    industry = "industry"
    housing_construction = "housing-construction"
    agriculture = "agriculture"
    commerce = "commerce"
    culture_tourism = "culture-tourism"
    emergency = "emergency"
    veterans = "veterans"
    finance = "finance"
    disabled_persons = "disabled-persons"


DEPARTMENT_NAMES: dict[Department, tuple[str, str]] = {
    Department.hrss: ("人力资源和社会保障", "Human resources and social security"),
    Department.medical_insurance: ("医疗保障", "Medical insurance"),
    Department.housing_fund: ("住房公积金", "Housing provident fund"),
    Department.public_security: ("公安", "Public security"),
    Department.civil_affairs: ("民政", "Civil affairs"),
    Department.education: ("教育", "Education"),
    Department.transport: ("交通运输", "Transport"),
    Department.market_regulation: ("市场监管", "Market regulation"),
    Department.ecology_environment: ("生态环境", "Ecology and environment"),
    Department.health: ("卫生健康", "Health"),
    Department.justice: ("司法", "Justice"),
    Department.natural_resources: ("自然资源", "Natural resources"),
    Department.electricity: ("电力", "Electricity"),
    Department.taxation: ("税务", "Taxation"),
    Department.industry: ("工业和信息化", "Industry and information technology"),
    Department.housing_construction: ("住房和城乡建设", "Housing and urban-rural development"),
    Department.agriculture: ("农业农村", "Agriculture and rural affairs"),
    Department.commerce: ("商务", "Commerce"),
    Department.culture_tourism: ("文化和旅游", "Culture and tourism"),
    Department.emergency: ("应急管理", "Emergency management"),
    Department.veterans: ("退役军人事务", "Veterans affairs"),
    Department.finance: ("财政", "Finance"),
    Department.disabled_persons: ("残联", "Disabled persons' federation"),
}


RoleName = Literal[
    "competent",  # the authority competent for the case (户籍地/参保地…)
    "residence",  # where the applicant lives or works now
    "origin",  # a joint case's giving side (转出地, 迁出地)
    "destination",  # a joint case's receiving side (转入地, 迁入地)
    "receiving",  # the counter that receives for the competent authority (代收地)
    "target",  # a province asked in a query
]


class Role(BaseModel):
    """A province an item needs, and the request field that names it."""

    model_config = ConfigDict(frozen=True)

    name: RoleName
    field: str = Field(description="Request field (dotted path) holding the province code(s)")
    many: bool = Field(default=False, description="The field holds a list of provinces")
    order: int = Field(
        default=0, description="Joint handling: legs run in ascending order, equal runs together"
    )
    pivot: bool = Field(
        default=False,
        description="Joint handling: once this leg is accepted the case only moves forward",
    )
    description_zh: str = ""
    description_en: str = ""


class TimeLimits(BaseModel):
    """Time limits in working days (法定时限 / 承诺时限); None where the law sets none."""

    model_config = ConfigDict(frozen=True)

    statutory_days: int | None = Field(default=None, ge=0)
    promised_days: int | None = Field(default=None, ge=0)
    note: str = ""

    @model_validator(mode="after")
    def _promise_within_law(self) -> TimeLimits:
        if (
            self.statutory_days is not None
            and self.promised_days is not None
            and self.promised_days > self.statutory_days
        ):
            raise ValueError("promised limit exceeds the statutory limit")
        return self


class FeeRule(BaseModel):
    """What the province charges. The gateway itself never adds a fee."""

    model_config = ConfigDict(frozen=True)

    charged_by_province: bool = False
    basis_zh: str = "不收费"
    basis_en: str = "Free of charge"
    gateway_fee: Literal[0] = 0


class Material(BaseModel):
    """A required or optional material (申请材料), and how it may be supplied."""

    model_config = ConfigDict(frozen=True)

    code: str
    name_zh: str
    name_en: str
    required: bool = True
    elicence: str | None = Field(
        default=None, description="E-licence type that can replace the paper original"
    )
    min_trust: TrustLevel = Field(
        default=TrustLevel.C, description="Weakest e-licence trust level accepted"
    )


class ServiceItem(BaseModel):
    """One service item (事项)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    name_zh: str
    name_en: str
    department: Department
    batch: Literal[2020, 2021]
    subject: Subject
    kind: Kind
    modes: tuple[Mode, ...]
    roles: tuple[Role, ...]
    time_limits: TimeLimits = TimeLimits()
    fee: FeeRule = FeeRule()
    materials: tuple[Material, ...] = ()
    request_model: type[BaseModel]
    result_model: type[BaseModel]
    source: str = Field(
        description="Announcement the item comes from, or 'department standard item'"
    )
    summary_zh: str = ""
    summary_en: str = ""
    cancellable: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> ServiceItem:
        if not self.modes:
            raise ValueError(f"{self.code}: an item allows at least one mode")
        if not self.roles:
            raise ValueError(f"{self.code}: an item needs at least one province role")
        if self.kind is Kind.query and Mode.joint in self.modes:
            raise ValueError(f"{self.code}: a query is answered at once, it has no joint mode")
        if Mode.joint in self.modes and len(self.roles) < 2 and not self.roles[0].many:
            raise ValueError(f"{self.code}: joint handling needs two or more province roles")
        fields = self.request_model.model_fields
        for role in self.roles:
            head = role.field.split(".", 1)[0]
            if head not in fields:
                raise ValueError(f"{self.code}: role {role.name} names unknown field {head}")
        return self

    @property
    def operation_id(self) -> str:
        """Stable OpenAPI operation id: ``submit_<code>`` or ``query_<code>``."""
        verb = "query" if self.kind is Kind.query else "submit"
        return f"{verb}_{self.code.replace('-', '_')}"
