"""Pure translation for the open-platform form family: canonical ⇄ wire, envelopes ⇄ errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from adapters import envelope, pinyin
from adapters.base import LegState, ProvinceConfig, SubmitRequest
from adapters.casedoc import CaseFields, read_case
from adapters.errors import (
    AdapterError,
    CaseNotFound,
    ItemNotServed,
    UpstreamAuthFailed,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from adapters.form_sm3 import codes
from adapters.rest_oauth.translate import SHANGHAI
from adapters.vocabulary import Vocabulary

_AUTH = frozenset(
    {
        codes.SIGNATURE_INVALID,
        codes.TIMESTAMP_OUT_OF_WINDOW,
        codes.NONCE_REPLAYED,
        codes.UNKNOWN_APP_KEY,
    }
)
_REJECTED = frozenset(
    {codes.MISSING_PARAMETER, codes.BUSINESS_PARAMETER_INVALID, codes.NOT_ALLOWED}
)
_UNAVAILABLE = frozenset({codes.TOO_MANY_REQUESTS, codes.SYSTEM_ERROR})


def vocabulary(config: ProvinceConfig) -> Vocabulary:
    return Vocabulary.merged(
        codes.OUTBOUND,
        codes.INBOUND,
        outbound=config.outbound,
        inbound=config.inbound,
        # Insurance types are the national codes on every stack.
        default_tables=pinyin.CODE_TABLES,
        code_tables=config.code_tables,
        compact_dates=False,  # this vendor speaks ISO dates and months
    )


def biz_content(value: dict[str, Any]) -> str:
    """The ``bizContent`` field: compact JSON, Chinese kept as UTF-8 rather than escaped."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def submit_biz(vocab: Vocabulary, local_code: str, request: SubmitRequest) -> dict[str, Any]:
    biz: dict[str, Any] = {
        "itemCode": local_code,
        "bizSerial": request.serial,
        "formData": vocab.to_wire(request.data),
    }
    if request.related_reference:
        biz["relatedNo"] = request.related_reference
    return biz


def unwrap(payload: Any, *, province: str) -> dict[str, Any]:
    """The ``data`` of a success envelope, or the mapped error."""
    return envelope.unwrap(payload, ok=codes.OK, error_for=error_for, province=province)


def error_for(code: str, message: str, *, province: str) -> AdapterError:
    text, says = f"code {code}", message
    if code in _AUTH:
        return UpstreamAuthFailed(text, province=province, code=code, province_says=says)
    if code in _REJECTED:
        return UpstreamRejected(text, province=province, code=code, province_says=says)
    if code == codes.CASE_NOT_FOUND:
        return CaseNotFound(text, province=province, code=code, province_says=says)
    if code == codes.ITEM_NOT_SERVED:
        return ItemNotServed(text, province=province, code=code, province_says=says)
    if code in _UNAVAILABLE:
        return UpstreamUnavailable(text, province=province, code=code, province_says=says)
    return UpstreamProtocolError(
        f"unknown {text}", province=province, code=code, province_says=says
    )


def has_case(data: dict[str, Any]) -> bool:
    """Whether an answer carries a case document (supplement/withdraw answers may not)."""
    return bool(data.get("caseNo")) and "status" in data


def leg_state(vocab: Vocabulary, data: dict[str, Any], *, province: str) -> LegState:
    return read_case(data, CASE_FIELDS, statuses=codes.STATUS, vocab=vocab, province=province)


def parse_time(value: Any) -> dt.datetime | None:
    """``yyyy-MM-dd HH:mm:ss`` in Beijing time, as an aware datetime; anything else is None."""
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    except ValueError:
        return None


CASE_FIELDS = CaseFields(
    reference="caseNo",
    status="status",
    description="statusName",
    reason="reason",
    result="result",
    updated="updateTime",
    parse_time=parse_time,
)
