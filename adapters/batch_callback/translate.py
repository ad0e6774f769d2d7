"""Pure translation for the batch/callback family: canonical ⇄ wire, answers ⇄ errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from adapters import pinyin
from adapters.base import LegState, ProvinceConfig, SubmitRequest
from adapters.batch_callback import codes
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
from adapters.rest_oauth.translate import SHANGHAI
from adapters.vocabulary import Vocabulary

_ERRORS: dict[str, type[AdapterError]] = {
    codes.INVALID_PAYLOAD: UpstreamRejected,
    codes.NOT_ALLOWED: UpstreamRejected,
    codes.AUTH_FAILED: UpstreamAuthFailed,
    codes.TICKET_NOT_FOUND: CaseNotFound,
    codes.ITEM_NOT_SERVED: ItemNotServed,
    codes.TOO_MANY_REQUESTS: UpstreamUnavailable,
    codes.WINDOW_CLOSED: UpstreamUnavailable,
    codes.SYSTEM_ERROR: UpstreamUnavailable,
}


def vocabulary(config: ProvinceConfig) -> Vocabulary:
    return Vocabulary.merged(
        codes.OUTBOUND,
        codes.INBOUND,
        outbound=config.outbound,
        inbound=config.inbound,
        # Insurance types are the national codes on every stack.
        default_tables=pinyin.CODE_TABLES,
        code_tables=config.code_tables,
    )


def batch_body(vocab: Vocabulary, local_code: str, request: SubmitRequest) -> dict[str, Any]:
    """A batch of one; the serial names both, so a retried batch is recognised as such."""
    item: dict[str, Any] = {
        "serialNo": request.serial,
        "itemCode": local_code,
        "payload": vocab.to_wire(request.data),
    }
    if request.related_reference:
        item["relatedRef"] = request.related_reference
    return {"batchNo": request.serial, "items": [item]}


def submitted(vocab: Vocabulary, payload: Any, serial: str, *, province: str) -> LegState:
    """Our item's fate in a batch answer: its ticket, or the error its refusal stands for."""
    if not isinstance(payload, dict):
        raise UpstreamProtocolError("batch answer is not an object", province=province)
    for entry in _entries(payload, "rejected", province=province):
        if entry.get("serialNo") == serial:
            code, message = str(entry.get("code") or ""), str(entry.get("message") or "")
            raise error_for(code, message, province=province)
    for entry in _entries(payload, "accepted", province=province):
        if entry.get("serialNo") == serial:
            # An accepted entry reads like a (short) ticket document.
            return leg_state(vocab, entry, province=province)
    raise UpstreamProtocolError("batch answer does not list our serial", province=province)


def _entries(payload: dict[str, Any], name: str, *, province: str) -> list[dict[str, Any]]:
    entries = payload.get(name) or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise UpstreamProtocolError(f"batch answer {name} is not a list", province=province)
    return entries


def error_for(code: str, message: str, *, province: str) -> AdapterError:
    text, says = f"code {code}", message
    kind = _ERRORS.get(code)
    if kind is None:
        return UpstreamProtocolError(
            f"unknown {text}", province=province, code=code or None, province_says=says
        )
    return kind(text, province=province, code=code, province_says=says)


def failure(status_code: int, payload: Any, *, province: str) -> AdapterError:
    """The error a non-2xx answer stands for: its body's code, else its HTTP status's."""
    code, message = _error_fields(payload)
    if code not in _ERRORS:
        fallback = codes.BY_HTTP_STATUS.get(status_code)
        if fallback is None and status_code >= 500:
            fallback = codes.SYSTEM_ERROR
        if fallback is None:
            return UpstreamProtocolError(
                f"HTTP {status_code} without a known error code", province=province, code=code
            )
        code, message = fallback, f"HTTP {status_code} {message}".strip()
    return error_for(code, message, province=province)


def _error_fields(payload: Any) -> tuple[str | None, str]:
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict) or not error.get("code"):
        return None, ""
    return str(error["code"]), str(error.get("message") or "")


def has_ticket(payload: Any) -> bool:
    """Whether an answer is a ticket document (supplement/withdraw answers may not be)."""
    return isinstance(payload, dict) and bool(payload.get("ticket")) and "status" in payload


def leg_state(vocab: Vocabulary, doc: Any, *, province: str) -> LegState:
    """A ticket document (poll answer, callback body, accepted batch entry) as a LegState."""
    if not isinstance(doc, dict):
        raise UpstreamProtocolError("ticket document is not an object", province=province)
    return read_case(doc, CASE_FIELDS, statuses=codes.STATUS, vocab=vocab, province=province)


def parse_time(value: Any) -> dt.datetime | None:
    """ISO 8601; a time without an offset is read as Beijing time, anything else is None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=SHANGHAI)


CASE_FIELDS = CaseFields(
    reference="ticket",
    status="status",
    description="statusName",
    reason="reason",
    result="result",
    updated="updatedAt",
    parse_time=parse_time,
)
