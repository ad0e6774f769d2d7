"""Code tables and vocabulary of the batch/callback family (docs/protocols/batch-callback.md)."""

from __future__ import annotations

from schemas._status import CaseStatus

STATUS: dict[str, CaseStatus] = {
    "PENDING": CaseStatus.received,  # 已接收待处理
    "ACCEPTED": CaseStatus.accepted,  # 已受理
    "PROCESSING": CaseStatus.in_review,  # 办理中
    "NEED_SUPPLEMENT": CaseStatus.correction_requested,  # 需补正
    "APPROVED": CaseStatus.approved,  # 办结·准予
    "DENIED": CaseStatus.rejected,  # 办结·不予
    "REFUSED": CaseStatus.rejected,  # 不予受理
    "WITHDRAWN": CaseStatus.cancelled,  # 已撤回
}

INVALID_PAYLOAD = "E1001"
AUTH_FAILED = "E1002"
TICKET_NOT_FOUND = "E1004"
ITEM_NOT_SERVED = "E1005"
NOT_ALLOWED = "E1009"
TOO_MANY_REQUESTS = "E4029"
WINDOW_CLOSED = "E5003"
SYSTEM_ERROR = "E5000"

# The spec's HTTP status for each error code, read backwards: what an answer means when its
# body carries no (known) code, e.g. a proxy's own 503 page.
BY_HTTP_STATUS: dict[int, str] = {
    400: INVALID_PAYLOAD,
    401: AUTH_FAILED,
    404: TICKET_NOT_FOUND,
    409: NOT_ALLOWED,
    422: ITEM_NOT_SERVED,
    429: TOO_MANY_REQUESTS,
    500: SYSTEM_ERROR,
    503: WINDOW_CLOSED,
}

# Full pinyin names for canonical keys (canonical key → wire key).
OUTBOUND: dict[str, str] = {
    "applicant": "shenqingren",
    "person": "chaxunren",
    "name": "xingming",
    "id_number": "zhengjianhaoma",
    "phone": "lianxidianhua",
    "address": "dizhi",
    "records": "jilu",
    "month": "nianyue",
    "insurance_type": "xianzhong",
    "insurance_types": "xianzhong",  # the filter list shares the single value's name
    "base": "jishu",
    "employer_amount": "danweijiaofei",
    "personal_amount": "gerenjiaofei",
    "employer_name": "danweimingcheng",
    "enterprise": "shenqingdanwei",
    "credit_code": "tongyishehuixinyongdaima",
    "legal_representative": "fadingdaibiaoren",
    "months_paid": "jiaofeiyueshu",
    "from_month": "qishinianyue",
    "to_month": "jiezhinianyue",
    "decision_number": "wenshubianhao",
    "decided_on": "banjieriqi",
    "decision_text": "jieguoshuoming",
    "contact_letter_number": "lianxihanbianhao",
    "transferred_months": "zhuanyiyueshu",
    "personal_account_balance": "gerenzhanghuyue",
    "pooled_fund_transferred": "tongchoujijin",
    "registration_number": "shiyedengjibianhao",
    "registered_on": "dengjiriqi",
}

# Inverse of OUTBOUND, except that ``xianzhong`` comes back as the single ``insurance_type``
# (answers carry one type per record, never the filter list).
INBOUND: dict[str, str] = {
    **{wire: canonical for canonical, wire in OUTBOUND.items()},
    "xianzhong": "insurance_type",
}
