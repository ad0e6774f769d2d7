"""What a province writes when it decides a case: reasons, decision numbers, item extras.

Extras are keyed by meaning (see `provinces.MEANINGS`); each family turns them into its own
field names through the province's vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.clock import beijing, wire_date
from sandbox.data import ContributionData, money, pension_summary
from sandbox.items import Item
from sandbox.lifecycle import unit_hash
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
    closed_on: str  # YYYYMMDD
    text: str
    extras: dict[str, str | int] = field(default_factory=dict)  # meaning -> value


def decide(
    *,
    province: Province,
    item: Item,
    applicant_name: str,
    id_number: str,
    approved: bool,
    closed_at: float,
    sequence: int,
    contributions: ContributionData,
) -> Decision:
    year = beijing(closed_at).year
    number = f"{province.decision_issuer}〔{year}〕{sequence:05d}号"
    closed_on = wire_date(closed_at)
    if not approved:
        text = f"{applicant_name}：经审核，{refusal_reason(item)}，决定不予办理{item.name}。"
        return Decision(number, closed_on, text)
    text = f"{applicant_name}：经审核，你申请的{item.name}符合规定，准予办理。"
    extras: dict[str, str | int] = {}
    if item.kind.name == "pension_transfer":
        history = contributions.history(province.code, id_number, province.employers, force=True)
        summary = pension_summary(history)
        extras = {
            "contact_letter_number": f"{province.letters}LXH{closed_on}{sequence:05d}",
            "transferred_months": summary.months,
            "personal_account_balance": money(summary.personal_account_balance),
            "pooled_fund_transferred": money(summary.pooled_fund_transferred),
        }
    elif item.kind.name == "unemployment_registration":
        extras = {
            "registration_number": f"{province.code}SY{closed_on}{sequence:05d}",
            "registration_date": closed_on,
        }
    return Decision(number, closed_on, text, extras)
