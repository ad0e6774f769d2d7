"""Code tables and vocabulary of the open-platform form family (docs/protocols/form-sm3.md)."""

from __future__ import annotations

from schemas._status import CaseStatus

STATUS: dict[str, CaseStatus] = {
    "A0100": CaseStatus.received,  # 已收件
    "A0110": CaseStatus.accepted,  # 已受理
    "A0101": CaseStatus.correction_requested,  # 退回补正
    "A0200": CaseStatus.in_review,  # 办理中
    "A0300": CaseStatus.rejected,  # 不予受理
    "A0501": CaseStatus.approved,  # 办结·准予
    "A0502": CaseStatus.rejected,  # 办结·不予许可
    "A0600": CaseStatus.cancelled,  # 已撤回
}

OK = "0"
MISSING_PARAMETER = "40001"
SIGNATURE_INVALID = "40002"
TIMESTAMP_OUT_OF_WINDOW = "40003"
NONCE_REPLAYED = "40004"
UNKNOWN_APP_KEY = "40005"
BUSINESS_PARAMETER_INVALID = "40010"
CASE_NOT_FOUND = "40400"
ITEM_NOT_SERVED = "40401"
NOT_ALLOWED = "40900"
TOO_MANY_REQUESTS = "42900"
SYSTEM_ERROR = "50000"

# The vendor's camelCase names for canonical keys (canonical key → wire key).
OUTBOUND: dict[str, str] = {
    "applicant": "applyUser",
    "person": "queryUser",
    "name": "userName",
    "id_number": "idCardNo",
    "phone": "mobile",
    "address": "addr",
    "records": "list",
    "month": "payMonth",
    "insurance_type": "insType",
    "insurance_types": "insTypes",
    "base": "payBase",
    "employer_amount": "unitPay",
    "personal_amount": "personPay",
    "employer_name": "unitName",
    "enterprise": "applyOrg",
    "credit_code": "creditCode",
    "legal_representative": "legalPerson",
    "months_paid": "payMonths",
    "from_month": "beginMonth",
    "to_month": "endMonth",
    "decision_number": "docNo",
    "decided_on": "finishDate",
    "decision_text": "resultDesc",
    "contact_letter_number": "letterNo",
    "transferred_months": "transMonths",
    "personal_account_balance": "accountBalance",
    "pooled_fund_transferred": "poolFund",
    "registration_number": "regNo",
    "registered_on": "regDate",
}

# Every wire name is distinct, so the inbound map is the exact inverse.
INBOUND: dict[str, str] = {wire: canonical for canonical, wire in OUTBOUND.items()}
