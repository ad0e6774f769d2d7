"""Code tables of the JSON REST family (docs/protocols/rest-oauth.md)."""

from __future__ import annotations

from schemas._status import CaseStatus

STATUS: dict[str, CaseStatus] = {
    "1": CaseStatus.received,  # 已接件
    "3": CaseStatus.accepted,  # 已受理
    "4": CaseStatus.rejected,  # 不受理
    "6": CaseStatus.correction_requested,  # 补正
    "8": CaseStatus.in_review,  # 部门开始办理
    "11": CaseStatus.approved,  # 办结通过
    "12": CaseStatus.rejected,  # 办结不通过
    "13": CaseStatus.cancelled,  # 撤件
}

OK = "0000"
PARAMETER_ERROR = "1001"
ITEM_NOT_SERVED = "1002"
CASE_NOT_FOUND = "2001"
TOKEN_INVALID = "4010"  # noqa: S105 - an error code, not a secret
TOO_MANY_REQUESTS = "4290"
SYSTEM_ERROR = "5000"
