"""Pure translation for the JSON REST family: canonical ⇄ wire, envelopes ⇄ errors."""

from __future__ import annotations

import datetime as dt
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
from adapters.rest_oauth import codes
from adapters.vocabulary import Vocabulary

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def vocabulary(config: ProvinceConfig) -> Vocabulary:
    return Vocabulary.merged(
        pinyin.OUTBOUND,
        pinyin.INBOUND,
        outbound=config.outbound,
        inbound=config.inbound,
        default_tables=pinyin.CODE_TABLES,
        code_tables=config.code_tables,
    )


def submit_body(
    vocab: Vocabulary, local_code: str, request: SubmitRequest, sender: str
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sxbm": local_code,
        "ywlsh": request.serial,
        "sjly": sender,
        "bdsj": vocab.to_wire(request.data),
    }
    if request.related_reference:
        body["glbh"] = request.related_reference
    return body


def unwrap(payload: Any, *, province: str) -> dict[str, Any]:
    """The ``data`` of a success envelope, or the mapped error."""
    return envelope.unwrap(payload, ok=codes.OK, error_for=error_for, province=province)


def error_for(code: str, message: str, *, province: str) -> AdapterError:
    text, says = f"code {code}", message
    if code == codes.PARAMETER_ERROR:
        return UpstreamRejected(text, province=province, code=code, province_says=says)
    if code == codes.ITEM_NOT_SERVED:
        return ItemNotServed(text, province=province, code=code, province_says=says)
    if code == codes.CASE_NOT_FOUND:
        return CaseNotFound(text, province=province, code=code, province_says=says)
    if code == codes.TOKEN_INVALID:
        return UpstreamAuthFailed(text, province=province, code=code, province_says=says)
    if code in (codes.TOO_MANY_REQUESTS, codes.SYSTEM_ERROR):
        return UpstreamUnavailable(text, province=province, code=code, province_says=says)
    return UpstreamProtocolError(
        f"unknown {text}", province=province, code=code, province_says=says
    )


def leg_state(vocab: Vocabulary, data: dict[str, Any], *, province: str) -> LegState:
    return read_case(data, CASE_FIELDS, statuses=codes.STATUS, vocab=vocab, province=province)


def parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or len(value) != 14:
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=SHANGHAI)
    except ValueError:
        return None


CASE_FIELDS = CaseFields(
    reference="bjbh",
    status="zt",
    description="ztms",
    reason="bzyy",
    result="bjjg",
    updated="gxsj",
    parse_time=parse_time,
)
