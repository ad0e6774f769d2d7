"""PackageHead checks: AuthCode (SM3), receiver code, SendTime window."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from sandbox import sm3
from sandbox.clock import parse_wire_datetime

AUTH_FAILED = "1002"
WRONG_RECEIVER = "1003"
STALE_SEND_TIME = "1004"
FIELD_MISSING = "2001"

REQUIRED_HEAD = ("SenderCode", "ReceiverCode", "BusinessType", "CollaborationId", "SendTime")


def sm3_hex(text: str) -> str:
    return sm3.sm3_hex(text.encode("utf-8"))


def auth_code(
    sender: str, receiver: str, send_time: str, collaboration_id: str, secret: str
) -> str:
    """Lower-case hex SM3 of SenderCode + ReceiverCode + SendTime + CollaborationId + secret."""
    return sm3_hex(sender + receiver + send_time + collaboration_id + secret)


def check_head(
    head: Mapping[str, str], auth: Mapping[str, Any], *, now: float, window_seconds: float
) -> tuple[str, str] | None:
    """(ReturnCode, ReturnMsg) if the head is refused, else None."""
    for name in REQUIRED_HEAD:
        if not head.get(name):
            return FIELD_MISSING, f"缺少必填项：PackageHead/{name}"
    senders = auth.get("senders", {})
    secret = senders.get(head["SenderCode"]) if isinstance(senders, Mapping) else None
    given = head.get("AuthCode", "").lower()
    if not isinstance(secret, str) or not given:
        return AUTH_FAILED, "认证失败：未知的发送方或缺少AuthCode"
    expected = auth_code(
        head["SenderCode"], head["ReceiverCode"], head["SendTime"], head["CollaborationId"], secret
    )
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return AUTH_FAILED, "认证失败：AuthCode校验不通过"
    if head["ReceiverCode"] != auth.get("receiver_code"):
        return WRONG_RECEIVER, f"接收方代码错误：{head['ReceiverCode']}"
    sent = parse_wire_datetime(head["SendTime"])
    if sent is None or abs(now - sent) > window_seconds:
        return STALE_SEND_TIME, "SendTime超出允许的时间窗口"
    return None
