"""Agriculture and rural affairs (农业农村) items: farm machinery licences, seed licences."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CertificateDecision,
    Delivery,
    Enterprise,
    Strict,
)
from schemas._fields import Address, ProvinceCode
from schemas._items import (
    BUSINESS_LICENCE,
    EX_APPLICANT,
    EX_ENTERPRISE,
    ID_CARD,
    PHOTO,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, Kind, Mode, ServiceItem, Subject, TrustLevel

AGRI = Department.agriculture


class TractorLicenceReason(StrEnum):
    expired = "expired"  # 期满换证
    lost = "lost"  # 遗失补证
    damaged = "damaged"  # 损毁换证


class TractorLicenceReplacement(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "issuing_province": "410000",
            "licence_class": "G1",
            "reason": "expired",
            "delivery": {"method": "post", "address": "河南省郑州市金水区某某村"},
        }
    )

    applicant: Applicant
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")
    licence_class: str = Field(
        pattern=r"^(G1|G2|K1|K2|L|R)$", description="Class, e.g. G1 wheeled tractor / 准驾机型"
    )
    reason: TractorLicenceReason = Field(description="Why / 补换原因")
    delivery: Delivery = Field(description="How it is delivered / 送达方式")


class TractorLicenceResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-03-11",
            "certificate_number": "11010519491231002X",
            "valid_until": "2030-03-10",
        }
    )


TRACTOR_DRIVING_LICENCE_REPLACEMENT = ServiceItem(
    code="tractor-driving-licence-replacement",
    name_zh="拖拉机和联合收割机驾驶证补领、换领",
    name_en="Tractor and combine harvester driving licence replacement",
    department=AGRI,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "issuing_province",
            "发证地农机监理机构",
            "Farm machinery authority that issued it",
        ),
    ),
    time_limits=limits(5, 3),
    materials=(
        ID_CARD,
        PHOTO,
        material(
            "health-check",
            "身体条件证明",
            "Medical certificate",
            trust=TrustLevel.C,
        ),
    ),
    source=STANDARD,
    request_model=TractorLicenceReplacement,
    result_model=TractorLicenceResult,
    summary_zh="外出务工的机手异地办理拖拉机、联合收割机驾驶证补领、换领。",
    summary_en="Farm machinery drivers working away replace or renew their licence from afar.",
)


class MachineType(StrEnum):
    wheeled_tractor = "wheeled-tractor"  # 轮式拖拉机
    tracked_tractor = "tracked-tractor"  # 手扶/履带拖拉机
    combine_harvester = "combine-harvester"  # 联合收割机


class MachineTransfer(BetweenProvinces):
    model_config = examples(
        {
            "owner": EX_APPLICANT,
            "origin_province": "410000",
            "destination_province": "230000",
            "machine_type": "combine-harvester",
            "plate_number": "豫01-12345",
            "engine_number": "YC4A1234567",
        }
    )

    owner: Applicant = Field(description="New owner / 现所有人")
    machine_type: MachineType = Field(description="Machine type / 机型")
    plate_number: str = Field(min_length=5, max_length=12, description="Plate / 号牌号码")
    engine_number: str = Field(min_length=4, max_length=30, description="Engine number / 发动机号")


class MachineTransferResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-04-16",
            "certificate_number": "黑01-54321",
            "new_plate_number": "黑01-54321",
        }
    )

    new_plate_number: str | None = Field(default=None, description="New plate / 新号牌号码")


TRACTOR_REGISTRATION_TRANSFER = ServiceItem(
    code="tractor-registration-transfer",
    name_zh="拖拉机和联合收割机跨省转移登记",
    name_en="Tractor and combine harvester transfer registration",
    department=AGRI,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.joint,),
    roles=(
        # The move-in authority checks the machine first; once the move-out authority has
        # released the registration record, the machine is registered nowhere else.
        role(
            "destination",
            "destination_province",
            "转入地农机监理机构（查验、登记）",
            "Move-in authority (inspects, registers)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "转出地农机监理机构（档案转出）",
            "Move-out authority (releases the record)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(5, 2),
    materials=(
        ID_CARD,
        material(
            "transfer-proof",
            "来历证明（买卖合同或发票）",
            "Proof of origin (contract or invoice)",
            trust=TrustLevel.C,
        ),
    ),
    source=STANDARD,
    request_model=MachineTransfer,
    result_model=MachineTransferResult,
    summary_zh="跨省买卖或迁移拖拉机、联合收割机，一地申请、两地联办转移登记。",
    summary_en="Register a tractor or harvester bought or moved from another province in one "
    "application.",
)


class SeedScope(StrEnum):
    production_and_sale = "production-and-sale"  # 生产经营
    sale = "sale"  # 经营


class SeedLicence(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "licence_province": "650000",
            "business_address": "新疆维吾尔自治区昌吉市某某种业园",
            "crops": ["玉米", "棉花"],
            "scope": "production-and-sale",
        }
    )

    enterprise: Enterprise
    licence_province: ProvinceCode = Field(description="Province of the business / 生产经营地")
    business_address: Address = Field(description="Business address / 生产经营场所")
    crops: list[str] = Field(min_length=1, max_length=20, description="Crops / 作物种类")
    scope: SeedScope = Field(description="Production and sale, or sale only / 生产经营范围")


class SeedLicenceResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-02-26",
            "certificate_number": "D(新)农种许字(2024)第0012号",
            "valid_until": "2029-02-25",
        }
    )


CROP_SEED_LICENCE = ServiceItem(
    code="crop-seed-licence",
    name_zh="农作物种子生产经营许可",
    name_en="Crop seed production and business licence",
    department=AGRI,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "licence_province",
            "生产经营地农业农村部门",
            "Agriculture authority where the business is",
        ),
    ),
    time_limits=limits(20, 10),
    materials=(
        BUSINESS_LICENCE,
        material(
            "facilities",
            "种子生产经营设施设备和人员情况",
            "Facilities, equipment and staff",
            trust=TrustLevel.D,
        ),
    ),
    source=STANDARD,
    request_model=SeedLicence,
    result_model=SeedLicenceResult,
    summary_zh="外省种子企业在生产经营地在线申请农作物种子生产经营许可证。",
    summary_en="Seed companies from other provinces apply online where they produce or sell.",
)


ITEMS: tuple[ServiceItem, ...] = (
    TRACTOR_DRIVING_LICENCE_REPLACEMENT,
    TRACTOR_REGISTRATION_TRANSFER,
    CROP_SEED_LICENCE,
)
