"""The common pinyin-initial vocabulary of provincial systems (lower case; SOAP upper-cases it).

Provinces publish their own variations; these are the defaults a province config overrides.
Insurance types use the national codes (险种代码) every province shares.
"""

from __future__ import annotations

OUTBOUND: dict[str, str] = {
    "applicant": "sqr",
    "person": "cxr",
    "name": "xm",
    "id_number": "sfzh",
    "phone": "lxdh",
    "address": "dz",
    "from_month": "ksny",
    "to_month": "jsny",
    "insurance_types": "xzlx",
    "insurance_type": "xzlx",
    "enterprise": "sqdw",
    "credit_code": "tyshxydm",
    "legal_representative": "fddbr",
}

INBOUND: dict[str, str] = {
    "sqr": "applicant",
    "cxr": "person",
    "xm": "name",
    "sfzh": "id_number",
    "lxdh": "phone",
    "dz": "address",
    "sqdw": "enterprise",
    "tyshxydm": "credit_code",
    "fddbr": "legal_representative",
    "jl": "records",
    "ny": "month",
    "xzlx": "insurance_type",
    "jfjs": "base",
    "dwjf": "employer_amount",
    "grjf": "personal_amount",
    "dwmc": "employer_name",
    "jfys": "months_paid",
    "wsbh": "decision_number",
    "bjrq": "decided_on",
    "jgsm": "decision_text",
    "lxhbh": "contact_letter_number",
    "zyys": "transferred_months",
    "grzhye": "personal_account_balance",
    "tcjjzye": "pooled_fund_transferred",
    "sydjbh": "registration_number",
    "djrq": "registered_on",
}

_INSURANCE = {
    "pension": "110",
    "unemployment": "210",
    "medical": "310",
    "work-injury": "410",
    "maternity": "510",
}

CODE_TABLES: dict[str, dict[str, str]] = {
    "insurance_type": _INSURANCE,
    "insurance_types": _INSURANCE,
}
