"""Code tables of the SOAP/GBK family (docs/protocols/soap-gbk.md)."""

from __future__ import annotations

from schemas._status import CaseStatus

STATUS: dict[str, CaseStatus] = {
    "10": CaseStatus.received,  # 已接收
    "20": CaseStatus.accepted,  # 已受理
    "21": CaseStatus.rejected,  # 不予受理
    "30": CaseStatus.in_review,  # 审核中
    "31": CaseStatus.correction_requested,  # 需补正
    "40": CaseStatus.approved,  # 办结·准予
    "41": CaseStatus.rejected,  # 办结·不予
    "50": CaseStatus.cancelled,  # 已撤销
}

OK = "0"
MALFORMED = "1001"
AUTH_FAILED = "1002"
WRONG_RECEIVER = "1003"
STALE_TIME = "1004"
MISSING_FIELD = "2001"
NOT_SERVED = "2002"
CASE_NOT_FOUND = "3001"
NOT_ALLOWED = "3002"
SYSTEM_ERROR = "9999"
