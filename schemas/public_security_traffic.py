"""Public security traffic administration (公安交管) items: licences, vehicles, violations.

Driving licences and vehicle registration belong to the police's traffic administration,
not to the transport department; hence these items sit with public security.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from schemas._common import (
    Applicant,
    BetweenProvinces,
    CaseDecision,
    CertificateDecision,
    Delivery,
    PersonRef,
    Strict,
)
from schemas._fields import CertificateNumber, Money, PastDate, PlateNumber, ProvinceCode, Vin
from schemas._items import (
    EX_APPLICANT,
    EX_APPLICANT_2,
    EX_PERSON,
    ID_CARD,
    PHOTO,
    STANDARD,
    examples,
    limits,
    material,
    role,
)
from schemas._model import Department, FeeRule, Kind, Mode, ServiceItem, Subject, TrustLevel

POLICE = Department.public_security
LICENCE_FEE = FeeRule(
    charged_by_province=True,
    basis_zh="机动车驾驶证工本费，按国家规定标准收取",
    basis_en="Driving licence production fee at the nationally set rate",
)
SAME_DAY = limits(None, 1, "same day at a counter, mailed online / 窗口当日办结，网办邮寄")
HEALTH_CERT = material(
    "driver-health-certificate",
    "机动车驾驶人身体条件证明",
    "Driver's medical certificate",
    elicence="driver-health-certificate",
    trust=TrustLevel.A,
)


class LicenceClass(StrEnum):
    A1 = "A1"
    A2 = "A2"
    A3 = "A3"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"
    D = "D"
    E = "E"


class LicenceRequest(Strict):
    """Shared by renewal and replacement: the holder and the licence's issuing province."""

    applicant: Applicant
    licence_province: ProvinceCode = Field(description="Province that issued it / 核发地")
    licence_class: LicenceClass = Field(description="Licence class / 准驾车型")
    delivery: Delivery = Field(description="How the licence is delivered / 送达方式")


class LicenceResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-20",
            "certificate_number": "11010519491231002X",
            "valid_until": "2034-05-20",
            "tracking_number": "EMS5566778899",
        }
    )


class LicenceRenewal(LicenceRequest):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "licence_province": "110000",
            "licence_class": "C1",
            "expires_on": "2024-06-30",
            "delivery": {"method": "post", "address": "广东省广州市天河区体育西路1号"},
        }
    )

    expires_on: dt.date = Field(description="Current licence expires / 原驾驶证有效期止")


DRIVING_LICENCE_RENEWAL = ServiceItem(
    code="driving-licence-renewal",
    name_zh="机动车驾驶证异地期满换证",
    name_en="Driving licence renewal on expiry away from the issuing place",
    department=POLICE,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "licence_province", "驾驶证核发地", "Province that issued it"),),
    time_limits=SAME_DAY,
    fee=LICENCE_FEE,
    materials=(ID_CARD, PHOTO, HEALTH_CERT),
    source=STANDARD,
    request_model=LicenceRenewal,
    result_model=LicenceResult,
    summary_zh="驾驶证有效期满前在居住地或网上换证，新证邮寄到家。",
    summary_en="Renew an expiring driving licence online or where one lives; it is mailed home.",
)


class LicenceLossReason(StrEnum):
    lost = "lost"  # 遗失补领
    damaged = "damaged"  # 损毁换领


class LicenceReplacement(LicenceRequest):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "licence_province": "110000",
            "licence_class": "C1",
            "reason": "lost",
            "delivery": {"method": "post", "address": "广东省广州市天河区体育西路1号"},
        }
    )

    reason: LicenceLossReason = Field(description="Why it is replaced / 补换原因")


DRIVING_LICENCE_REPLACEMENT = ServiceItem(
    code="driving-licence-replacement",
    name_zh="机动车驾驶证补领、换领",
    name_en="Driving licence replacement (lost or damaged)",
    department=POLICE,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(role("competent", "licence_province", "驾驶证核发地", "Province that issued it"),),
    time_limits=SAME_DAY,
    fee=LICENCE_FEE,
    materials=(ID_CARD, PHOTO),
    source=STANDARD,
    request_model=LicenceReplacement,
    result_model=LicenceResult,
    summary_zh="驾驶证遗失或损毁后异地补领、换领。",
    summary_en="Replace a lost or damaged driving licence away from where it was issued.",
)


class InspectionMarkRequest(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "registration_province": "110000",
            "plate_number": "京A12345",
            "inspection_report_number": "440106202405200123",
            "inspected_on": "2024-05-20",
        }
    )

    applicant: Applicant = Field(description="Vehicle owner / 机动车所有人")
    registration_province: ProvinceCode = Field(description="Province registered in / 登记地")
    plate_number: PlateNumber
    inspection_report_number: CertificateNumber = Field(
        description="Safety inspection report / 安全技术检验报告编号"
    )
    inspected_on: PastDate = Field(description="Inspection date / 检验日期")


class InspectionMarkResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-20",
            "elicence_id": "JYBZ110000202405200456",
            "valid_until": "2026-05-31",
        }
    )


VEHICLE_INSPECTION_MARK = ServiceItem(
    code="vehicle-inspection-mark",
    name_zh="机动车异地检验合格标志核发",
    name_en="Vehicle inspection mark after an inspection in another province",
    department=POLICE,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(role("competent", "registration_province", "车辆登记地", "Province registered in"),),
    time_limits=limits(None, 0, "issued electronically at once / 电子标志即时核发"),
    materials=(
        material(
            "compulsory-insurance",
            "交强险凭证",
            "Compulsory traffic insurance",
            elicence="compulsory-insurance-policy",
            trust=TrustLevel.A,
        ),
    ),
    source=STANDARD,
    request_model=InspectionMarkRequest,
    result_model=InspectionMarkResult,
    summary_zh="在外省检测站检验后，由登记地核发电子检验合格标志。",
    summary_en="After an inspection in another province, get the electronic inspection mark.",
)


class ViolationRequest(Strict):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "violation_province": "440000",
            "plate_number": "京A12345",
            "violation_number": "4401062024051612345",
            "accept": True,
        }
    )

    applicant: Applicant = Field(description="Driver / 机动车驾驶人")
    violation_province: ProvinceCode = Field(description="Province of the violation / 违法地")
    plate_number: PlateNumber
    violation_number: str = Field(
        min_length=6, max_length=30, description="Violation record number / 违法记录编号"
    )
    accept: bool = Field(description="Accepts the penalty as recorded / 对违法事实无异议")


class ViolationResult(CaseDecision):
    model_config = examples(
        {
            "decision_number": "4401061234567890",
            "decided_on": "2024-05-22",
            "fine": "200.00",
            "points": 3,
        }
    )

    fine: Money | None = Field(default=None, description="Fine imposed / 罚款金额")
    points: int | None = Field(default=None, ge=0, le=12, description="Points / 记分")


TRAFFIC_VIOLATION_HANDLING = ServiceItem(
    code="traffic-violation-handling",
    name_zh="机动车异地交通违法处理",
    name_en="Handling a traffic violation recorded in another province",
    department=POLICE,
    batch=2020,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online,),
    roles=(
        role(
            "competent",
            "violation_province",
            "违法行为地公安交管部门",
            "Traffic police where the violation happened",
        ),
    ),
    time_limits=limits(None, 0, "decided at once when accepted / 无异议即时处理"),
    materials=(ID_CARD,),
    source=STANDARD,
    request_model=ViolationRequest,
    result_model=ViolationResult,
    summary_zh="对外省记录的交通违法无异议的，在线接受处理；罚款依决定书缴纳，网关不收费。",
    summary_en="Accept a violation recorded elsewhere online; any fine is paid as decided, the "
    "gateway charges nothing.",
    cancellable=False,
)


class UsedCarTransfer(BetweenProvinces):
    model_config = examples(
        {
            "buyer": EX_APPLICANT_2,
            "seller": EX_PERSON,
            "origin_province": "110000",
            "destination_province": "440000",
            "plate_number": "京A12345",
            "vin": "LSVAU218XN2183294",
            "invoice_number": "044002400111",
            "price": "86000.00",
        }
    )

    buyer: Applicant = Field(description="New owner / 买方（现机动车所有人）")
    seller: PersonRef = Field(description="Former owner / 卖方")
    plate_number: PlateNumber
    vin: Vin
    invoice_number: str = Field(
        min_length=8, max_length=20, description="Used car sales invoice / 二手车销售统一发票号码"
    )
    price: Money = Field(description="Sale price / 成交价")


class UsedCarTransferResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-11",
            "certificate_number": "440012345678",
            "new_plate_number": "粤A6B7C8",
        }
    )

    new_plate_number: str | None = Field(default=None, description="New plate / 新号牌号码")


USED_CAR_TRANSFER_REGISTRATION = ServiceItem(
    code="used-car-transfer-registration",
    name_zh="小型非营运客车二手车交易登记",
    name_en="Used car transfer registration (small non-commercial passenger cars)",
    department=POLICE,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.joint,),
    roles=(
        # The move-in office checks the car and the buyer first; once the move-out office has
        # released the vehicle's record (转出) the car is no longer registered there.
        role(
            "destination",
            "destination_province",
            "转入地车辆管理所（查验、受理）",
            "Move-in vehicle office (checks the car, takes the case)",
            order=0,
        ),
        role(
            "origin",
            "origin_province",
            "转出地车辆管理所（电子档案转递）",
            "Move-out vehicle office (releases the e-archive)",
            order=1,
            pivot=True,
        ),
    ),
    time_limits=limits(5, 1),
    fee=FeeRule(
        charged_by_province=True,
        basis_zh="号牌、行驶证、登记证书工本费，按国家规定标准收取",
        basis_en="Plate, vehicle licence and registration certificate fees at national rates",
    ),
    materials=(
        ID_CARD,
        material(
            "sales-invoice",
            "二手车销售统一发票",
            "Used car sales invoice",
            elicence="e-invoice",
            trust=TrustLevel.A,
        ),
        material(
            "registration-certificate",
            "机动车登记证书",
            "Vehicle registration certificate",
            trust=TrustLevel.B,
        ),
    ),
    source="Ministry of Public Security announcement (2021), with the commerce and tax authorities",
    request_model=UsedCarTransfer,
    result_model=UsedCarTransferResult,
    summary_zh="跨省购买二手小客车，在转入地一次办结转移登记，档案电子转递。",
    summary_en="Register a used car bought from another province once, at the new place; the "
    "archive moves electronically.",
)


ITEMS: tuple[ServiceItem, ...] = (
    DRIVING_LICENCE_RENEWAL,
    DRIVING_LICENCE_REPLACEMENT,
    VEHICLE_INSPECTION_MARK,
    TRAFFIC_VIOLATION_HANDLING,
    USED_CAR_TRANSFER_REGISTRATION,
)
