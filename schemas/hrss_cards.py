"""HRSS social security card items (社会保障卡): application, activation, replacement, loss."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from schemas._common import Applicant, CaseDecision, CertificateDecision, Delivery, Strict
from schemas._fields import PastDate, ProvinceCode
from schemas._items import EX_APPLICANT, ID_CARD, PHOTO, SRC_2021, examples, limits, role
from schemas._model import Department, Kind, Mode, Role, ServiceItem, Subject

HRSS = Department.hrss
CARD_ROLE: Role = role(
    "competent", "card_province", "参保地（发卡地）", "Insured province that issues the card"
)


class SocialSecurityCardRequest(Strict):
    """Shared fields: who holds the card and which province issued it."""

    applicant: Applicant
    card_province: ProvinceCode = Field(
        description="Insured province issuing the card / 参保地（发卡地）"
    )


# --- application (社会保障卡申领) ---------------------------------------------------------


class CardApplication(SocialSecurityCardRequest):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "card_province": "510000",
            "bank": "中国工商银行",
            "delivery": {
                "method": "post",
                "address": "广东省广州市天河区体育西路1号",
                "postal_code": "510620",
            },
        }
    )

    bank: str | None = Field(
        default=None, max_length=50, description="Preferred partner bank / 意向合作银行"
    )
    delivery: Delivery = Field(description="How the card reaches the holder / 领卡方式")


class CardApplicationResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-04-10",
            "certificate_number": "A12345678",
            "tracking_number": "EMS1234567890",
            "bank_account_last4": "3446",
        }
    )

    bank_account_last4: str | None = Field(
        default=None,
        pattern=r"^\d{4}$",
        description="Last four digits of the linked account / 金融账户后四位",
    )


SOCIAL_SECURITY_CARD_APPLICATION = ServiceItem(
    code="social-security-card-application",
    name_zh="社会保障卡申领",
    name_en="Social security card application",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(CARD_ROLE,),
    time_limits=limits(20, 10),
    materials=(ID_CARD, PHOTO),
    source=SRC_2021,
    request_model=CardApplication,
    result_model=CardApplicationResult,
    summary_zh="向参保地申领社会保障卡，可邮寄到现居住地。",
    summary_en="Apply to the insured province for a social security card, delivered to "
    "where one lives.",
)


# --- activation (社会保障卡启用) ----------------------------------------------------------


class CardActivation(SocialSecurityCardRequest):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "card_province": "510000",
            "card_number": "A12345678",
        }
    )

    card_number: str = Field(
        pattern=r"^[A-Z0-9]{9}$", description="Card number printed on the card / 社会保障卡卡号"
    )


class CardActivationResult(CaseDecision):
    model_config = examples({"decided_on": "2024-04-15", "activated_on": "2024-04-15"})

    activated_on: dt.date | None = Field(default=None, description="Date activated / 启用日期")


SOCIAL_SECURITY_CARD_ACTIVATION = ServiceItem(
    code="social-security-card-activation",
    name_zh="社会保障卡启用",
    name_en="Social security card activation",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(CARD_ROLE,),
    time_limits=limits(None, 0, "activated at once / 即时办结"),
    materials=(ID_CARD,),
    source=SRC_2021,
    request_model=CardActivation,
    result_model=CardActivationResult,
    summary_zh="领卡后启用社会保障卡的社保应用功能。",
    summary_en="Switch on the social insurance functions of a newly received card.",
    cancellable=False,
)


# --- replacement (社会保障卡补领、换领) ---------------------------------------------------


class CardReplacementReason(StrEnum):
    lost = "lost"  # 遗失补领
    damaged = "damaged"  # 损坏换领
    upgrade = "upgrade"  # 换发新一代卡
    details_changed = "details-changed"  # 信息变更


class CardReplacement(SocialSecurityCardRequest):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "card_province": "510000",
            "reason": "damaged",
            "old_card_number": "A12345678",
            "delivery": {"method": "counter-pickup"},
        }
    )

    reason: CardReplacementReason = Field(description="Why a new card is needed / 补换原因")
    old_card_number: str | None = Field(
        default=None, pattern=r"^[A-Z0-9]{9}$", description="Old card number / 原卡号"
    )
    delivery: Delivery = Field(description="How the card reaches the holder / 领卡方式")


class CardReplacementResult(CertificateDecision):
    model_config = examples(
        {
            "decided_on": "2024-05-08",
            "certificate_number": "B87654321",
            "old_card_cancelled": True,
        }
    )

    old_card_cancelled: bool | None = Field(
        default=None, description="The old card no longer works / 原卡已注销"
    )


SOCIAL_SECURITY_CARD_REPLACEMENT = ServiceItem(
    code="social-security-card-replacement",
    name_zh="社会保障卡补领、换领",
    name_en="Social security card replacement",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(CARD_ROLE,),
    time_limits=limits(20, 10),
    materials=(ID_CARD, PHOTO),
    source=SRC_2021,
    request_model=CardReplacement,
    result_model=CardReplacementResult,
    summary_zh="社会保障卡遗失或损坏时补领、换领，原卡同时注销。",
    summary_en="Replace a lost or damaged card; the old card is cancelled.",
)


# --- temporary loss report (社会保障卡临时挂失) -------------------------------------------


class CardLossReport(SocialSecurityCardRequest):
    model_config = examples(
        {
            "applicant": EX_APPLICANT,
            "card_province": "510000",
            "lost_on": "2024-06-01",
        }
    )

    card_number: str | None = Field(
        default=None, pattern=r"^[A-Z0-9]{9}$", description="Card number, if known / 卡号"
    )
    lost_on: PastDate = Field(description="Date the card went missing / 遗失日期")


class CardLossReportResult(CaseDecision):
    model_config = examples(
        {
            "decided_on": "2024-06-01",
            "loss_report_number": "GS2024060100088",
            "lapses_on": "2024-06-06",
        }
    )

    loss_report_number: str | None = Field(default=None, description="Report number / 挂失单号")
    lapses_on: dt.date | None = Field(
        default=None, description="The temporary report lapses on / 临时挂失失效日期"
    )


SOCIAL_SECURITY_CARD_LOSS_REPORT = ServiceItem(
    code="social-security-card-loss-report",
    name_zh="社会保障卡临时挂失",
    name_en="Social security card temporary loss report",
    department=HRSS,
    batch=2021,
    subject=Subject.individual,
    kind=Kind.application,
    modes=(Mode.online, Mode.counter),
    roles=(CARD_ROLE,),
    time_limits=limits(None, 0, "blocked at once / 即时办结"),
    materials=(ID_CARD,),
    source=SRC_2021,
    request_model=CardLossReport,
    result_model=CardLossReportResult,
    summary_zh="卡片遗失后立即临时挂失，冻结社保和金融功能。",
    summary_en="Block a missing card at once, both its social insurance and bank functions.",
    # Lifting a loss report (解挂) is its own act at the issuing province, not a cancellation.
    cancellable=False,
)


ITEMS: tuple[ServiceItem, ...] = (
    SOCIAL_SECURITY_CARD_APPLICATION,
    SOCIAL_SECURITY_CARD_ACTIVATION,
    SOCIAL_SECURITY_CARD_REPLACEMENT,
    SOCIAL_SECURITY_CARD_LOSS_REPORT,
)
