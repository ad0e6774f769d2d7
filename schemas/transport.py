"""Transport (交通运输) items: road transport qualifications, vehicles and operating permits.

Driving licences and vehicle registration are police matters; see public_security_traffic.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CertificateCheck,
    CertificateDecision,
    CertificateFound,
    Delivery,
    Enterprise,
    Strict,
)
from schemas._fields import Address, CertificateNumber, PastDate, PlateNumber, ProvinceCode
from schemas._items import (
    BUSINESS_LICENCE,
    EX_APPLICANT,
    EX_ENTERPRISE,
    EX_PERSON,
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

TRANSPORT = Department.transport
QUALIFICATION = material(
    "qualification-certificate",
    "道路运输从业人员从业资格证",
    "Road transport qualification",
    elicence="road-transport-qualification",
    trust=TrustLevel.A,
)


class TransportQualification(StrEnum):
    passenger_driver = "passenger-driver"  # 经营性道路旅客运输驾驶员
    freight_driver = "freight-driver"  # 经营性道路货物运输驾驶员
    dangerous_goods_driver = "dangerous-goods-driver"  # 道路危险货物运输驾驶员
    dangerous_goods_escort = "dangerous-goods-escort"  # 道路危险货物运输押运人员
    dangerous_goods_loader = "dangerous-goods-loader"  # 道路危险货物运输装卸管理人员


# --- qualification reissue and renewal (从业资格证补发、换发) -----------------------------


class QualificationRenewalReason(StrEnum):
    expired = "expired"
    lost = "lost"
    damaged = "damaged"


class TransportQualificationRenewal(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "issuing_province": "510000",
            "certificate_number": "510107199007040023",
            "qualifications": ["freight-driver"],
            "reason": "expired",
            "delivery": {"method": "online"},
        }
    )

    applicant: Applicant
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")
    certificate_number: CertificateNumber = Field(description="Certificate number / 从业资格证号")
    qualifications: list[TransportQualification] = Field(
        min_length=1, description="Categories / 从业资格类别"
    )
    reason: QualificationRenewalReason = Field(description="Why / 办理原因")
    delivery: Delivery = Field(description="How it is delivered / 送达方式")


class TransportQualificationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-04-18",
            "certificate_number": "510107199007040023",
            "valid_until": "2030-04-17",
            "elicence_id": "510000CYZG2024000321",
        }
    )


ROAD_TRANSPORT_QUALIFICATION_RENEWAL = ServiceItem(
    code="road-transport-qualification-renewal",
    name_zh="道路运输从业人员从业资格证补发、换发",
    name_en="Road transport qualification certificate renewal or reissue",
    department=TRANSPORT,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=limits(5, 3),
    materials=(ID_CARD, PHOTO, QUALIFICATION),
    source=STANDARD,
    request_model=TransportQualificationRenewal,
    result_model=TransportQualificationResult,
    summary_zh="道路运输驾驶员等从业人员异地办理从业资格证换发、补发，电子证照同步签发。",
    summary_en="Drivers and other road transport workers renew or replace their qualification "
    "from afar; an e-licence is issued too.",
)


# --- qualification lookup (从业资格证查询核验) -------------------------------------------


class TransportQualificationCheck(CertificateCheck):
    model_config = examples(
        {
            "holder": EX_PERSON,
            "issuing_province": "110000",
            "certificate_number": "11010519491231002X",
        }
    )


class TransportQualificationFound(CertificateFound):
    model_config = examples(
        {
            "state": "valid",
            "certificate_number": "11010519491231002X",
            "issued_on": "2018-03-12",
            "issuer": "北京市交通委员会",
            "qualifications": ["passenger-driver"],
        }
    )

    qualifications: list[TransportQualification] = Field(
        default_factory=list, description="Categories held / 从业资格类别"
    )


ROAD_TRANSPORT_QUALIFICATION_LOOKUP = ServiceItem(
    code="road-transport-qualification-lookup",
    name_zh="道路运输从业人员从业资格信息查询",
    name_en="Road transport qualification verification",
    department=TRANSPORT,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.query,
    modes=(Mode.online, Mode.counter),
    roles=(role("target", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=INSTANT,
    source=STANDARD,
    request_model=TransportQualificationCheck,
    result_model=TransportQualificationFound,
    summary_zh="查询核验道路运输从业人员的从业资格。",
    summary_en="Check a road transport worker's qualifications.",
    cancellable=False,
)


# --- qualification record transfer (从业资格档案异地转籍) --------------------------------


class TransportQualificationTransfer(BetweenProvinces):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "origin_province": "510000",
            "destination_province": "440000",
            "certificate_number": "510107199007040023",
            "qualifications": ["freight-driver"],
        }
    )

    applicant: Applicant
    certificate_number: CertificateNumber = Field(description="Certificate number / 从业资格证号")
    qualifications: list[TransportQualification] = Field(
        min_length=1, description="Categories / 从业资格类别"
    )


ROAD_TRANSPORT_QUALIFICATION_TRANSFER = ServiceItem(
    code="road-transport-qualification-transfer",
    name_zh="道路运输从业人员从业资格档案转籍",
    name_en="Transfer of a road transport qualification record",
    department=TRANSPORT,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.joint),
    roles=(
        # The new province accepts the record first; once the old province has cancelled its
        # registration, the qualification is held only at the new place.
        role(
            "destination",
            "destination_province",
            "转入地（接收档案、换发证件）",
            "Transfer-in (takes the record, reissues)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "转出地（注销并转出档案）",
            "Transfer-out (cancels and sends the record)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(10, 5),
    materials=(ID_CARD, QUALIFICATION),
    source=STANDARD,
    request_model=TransportQualificationTransfer,
    result_model=TransportQualificationResult,
    summary_zh="从业人员跨省流动时，从业资格档案转入新的工作地。",
    summary_en="Move a road transport worker's qualification record to the new province.",
)


# --- road transport certificate annual review (道路运输证异地年审) -------------------------


class AnnualReview(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "issuing_province": "440000",
            "plate_number": "粤A12345",
            "transport_certificate_number": "粤交运管穗字440100123456号",
            "inspection_report_number": "510105202404180012",
            "inspected_on": "2024-04-18",
        }
    )

    enterprise: Enterprise
    issuing_province: ProvinceCode = Field(description="Province that issued it / 发证地")
    plate_number: PlateNumber
    transport_certificate_number: CertificateNumber = Field(
        description="Road transport certificate / 道路运输证号"
    )
    inspection_report_number: CertificateNumber = Field(
        description="Comprehensive performance test report / 综合性能检测报告编号"
    )
    inspected_on: PastDate = Field(description="Test date / 检测日期")


class AnnualReviewResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-04-22",
            "certificate_number": "粤交运管穗字440100123456号",
            "valid_until": "2025-04-30",
        }
    )


ROAD_TRANSPORT_CERTIFICATE_REVIEW = ServiceItem(
    code="road-transport-certificate-review",
    name_zh="道路运输证异地年审",
    name_en="Annual review of a road transport certificate away from home",
    department=TRANSPORT,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(role("competent", "issuing_province", "发证地", "Province that issued it"),),
    time_limits=limits(5, 1),
    materials=(
        BUSINESS_LICENCE,
        material(
            "test-report",
            "车辆综合性能检测报告",
            "Vehicle performance test report",
            elicence="vehicle-test-report",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=AnnualReview,
    result_model=AnnualReviewResult,
    summary_zh="跨省运营的营运车辆在外地检测后，在线办理道路运输证年审。",
    summary_en="Vehicles operating away from home pass their test there and get the annual "
    "review online.",
)


# --- road freight operating permit (道路货物运输经营许可) --------------------------------


class FreightPermit(Strict):
    model_config = examples(
        {
            "enterprise": EX_ENTERPRISE,
            "permit_province": "440000",
            "business_address": "广东省广州市白云区太和镇某某物流园",
            "vehicles": 12,
            "scope": "普通货运",
        }
    )

    enterprise: Enterprise
    permit_province: ProvinceCode = Field(description="Province of the operator / 经营地")
    business_address: Address = Field(description="Business premises / 经营场所")
    vehicles: int = Field(ge=1, description="Vehicles to operate / 车辆数")
    scope: str = Field(min_length=2, max_length=100, description="Operating scope / 经营范围")


class FreightPermitResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-03-29",
            "certificate_number": "粤交运管许可穗字440100009876号",
            "valid_until": "2028-03-28",
        }
    )


FREIGHT_OPERATION_PERMIT = ServiceItem(
    code="freight-operation-permit",
    name_zh="道路货物运输经营许可",
    name_en="Road freight operating permit",
    department=TRANSPORT,
    batch=2021,
    subject=Subject.enterprise,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(
        role(
            "competent",
            "permit_province",
            "经营地交通运输部门",
            "Transport authority where the operator is",
        ),
    ),
    time_limits=limits(20, 5),
    materials=(BUSINESS_LICENCE, ID_CARD),
    source=STANDARD,
    request_model=FreightPermit,
    result_model=FreightPermitResult,
    summary_zh="外省企业在经营地申请道路货物运输经营许可，无需回注册地。",
    summary_en="An operator from another province applies for a freight permit where it operates.",
)


ITEMS: tuple[ServiceItem, ...] = (
    ROAD_TRANSPORT_QUALIFICATION_RENEWAL,
    ROAD_TRANSPORT_QUALIFICATION_LOOKUP,
    ROAD_TRANSPORT_QUALIFICATION_TRANSFER,
    ROAD_TRANSPORT_CERTIFICATE_REVIEW,
    FREIGHT_OPERATION_PERMIT,
)
