"""What a province writes when it decides a case: reasons, decision numbers, item extras.

A decision is a meaning-keyed tree with typed values (see `sandbox.wire`); each family
renders it in its own field names and date format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sandbox.clock import beijing
from sandbox.data import ContributionData, pension_summary
from sandbox.items import Item
from sandbox.lifecycle import unit_hash
from sandbox.parties import Party
from sandbox.provinces import Province

CORRECTION_REASONS: dict[str, tuple[str, ...]] = {
    "unemployment_registration": (
        "请补充上传解除或终止劳动关系证明",
        "身份证件照片不清晰，请重新上传",
    ),
    "pension_transfer": (
        "请补充提供参保缴费凭证",
        "转入地参保单位信息与登记信息不一致，请核对后补正",
    ),
    "certificate": (
        "证件照片不符合要求，请重新上传近期免冠照片",
        "申请材料不完整，请补正",
    ),
    "application": ("申请材料不完整，请补正",),
}
NOT_ACCEPTED_REASONS: dict[str, str] = {
    "unemployment_registration": "申请人非本省常住人员且未在本省参保，不属于本机关受理范围",
    "pension_transfer": "申请人在本省无有效参保记录，不予受理",
    "application": "申请事项不属于本机关受理范围",
}
REFUSAL_REASONS: dict[str, str] = {
    "unemployment_registration": "申请人已在本省办理就业登记，不符合失业登记条件",
    "pension_transfer": "申请人在转出地存在重复参保记录，需先行清理",
    "application": "经审核，不符合办理条件",
}
CORRECTION_TIMEOUT_REASON = "逾期未补正，不予受理"
CERTIFICATE_YEARS = 6


def correction_reason(item: Item, province: str, serial: str) -> str:
    reasons = CORRECTION_REASONS.get(item.kind.name, CORRECTION_REASONS["application"])
    return reasons[int(unit_hash("reason", province, serial) * len(reasons))]


def not_accepted_reason(item: Item) -> str:
    return NOT_ACCEPTED_REASONS.get(item.kind.name, NOT_ACCEPTED_REASONS["application"])


def refusal_reason(item: Item) -> str:
    return REFUSAL_REASONS.get(item.kind.name, REFUSAL_REASONS["application"])


@dataclass(frozen=True)
class Decision:
    number: str  # 文书编号, e.g. 粤人社决〔2026〕00012号
    closed_on: dt.date
    text: str
    extras: dict[str, Any] = field(default_factory=dict)  # meaning -> typed value

    def tree(self) -> dict[str, Any]:
        """The result as a meaning-keyed tree (render it with `sandbox.wire.render`)."""
        return {
            "decision_number": self.number,
            "closing_date": self.closed_on,
            "decision_text": self.text,
            **self.extras,
        }


def decide(
    *,
    province: Province,
    item: Item,
    party: Party,
    approved: bool,
    closed_at: float,
    sequence: int,
    contributions: ContributionData,
) -> Decision:
    closed_on = beijing(closed_at).date()
    number = f"{province.decision_issuer}〔{closed_on.year}〕{sequence:05d}号"
    stamp = closed_on.strftime("%Y%m%d")
    who = party.addressed_as
    if not approved:
        text = f"{who}：经审核，{refusal_reason(item)}，决定不予办理{item.name}。"
        return Decision(number, closed_on, text)
    text = f"{who}：经审核，你申请的{item.name}符合规定，准予办理。"
    extras: dict[str, Any] = {}
    kind = item.kind.name
    if kind == "pension_transfer" and not party.organisation:
        history = contributions.history(
            province.code, party.identifier, province.employers, force=True
        )
        summary = pension_summary(history)
        extras = {
            "contact_letter_number": f"{province.letters}LXH{stamp}{sequence:05d}",
            "transferred_months": summary.months,
            "personal_account_balance": summary.personal_account_balance,
            "pooled_fund_transferred": summary.pooled_fund_transferred,
        }
    elif kind == "unemployment_registration":
        extras = {
            "registration_number": f"{province.code}SY{stamp}{sequence:05d}",
            "registration_date": closed_on,
        }
    elif kind == "certificate":
        extras = {
            "certificate_number": f"{province.abbr or province.letters}{province.code[:2]}"
            f"{closed_on.year}{sequence:06d}",
            "valid_until": closed_on.replace(year=closed_on.year + CERTIFICATE_YEARS)
            if not (closed_on.month == 2 and closed_on.day == 29)
            else dt.date(closed_on.year + CERTIFICATE_YEARS, 2, 28),
            "elicence_id": f"EL{province.code}{stamp}{sequence:05d}",
        }
    return Decision(number, closed_on, text, extras)
