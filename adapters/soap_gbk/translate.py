"""Pure translation for the SOAP/GBK family: package heads, AuthCode, answers ⇄ errors."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from xml.etree.ElementTree import Element, SubElement

from adapters import pinyin
from adapters.base import LegState, ProvinceConfig
from adapters.errors import (
    AdapterError,
    CaseNotFound,
    ItemNotServed,
    UpstreamAuthFailed,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from adapters.soap_gbk import codes, xml
from adapters.vocabulary import Vocabulary

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _lower(key: str) -> str:
    return key.lower()


def _upper(key: str) -> str:
    return key.upper()


def vocabulary(config: ProvinceConfig) -> Vocabulary:
    return Vocabulary.merged(
        {k: v.upper() for k, v in pinyin.OUTBOUND.items()},
        {k.upper(): v for k, v in pinyin.INBOUND.items()},
        outbound=config.outbound,
        inbound=config.inbound,
        default_tables=pinyin.CODE_TABLES,
        code_tables=config.code_tables,
        wire_case=_upper,
        canonical_case=_lower,
    )


def auth_code(
    sender: str, receiver: str, send_time: str, collaboration_id: str, secret: str
) -> str:
    material = f"{sender}{receiver}{send_time}{collaboration_id}{secret}".encode()
    return hashlib.new("sm3", material).hexdigest()


def package(
    *,
    sender: str,
    receiver: str,
    secret: str,
    business_type: str,
    collaboration_id: str,
    body: Element | None,
    now: dt.datetime,
) -> bytes:
    pkg = Element("Package")
    head = SubElement(pkg, "PackageHead")
    send_time = now.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S")
    for name, value in (
        ("Version", "1.0"),
        ("SenderCode", sender),
        ("ReceiverCode", receiver),
        ("BusinessType", business_type),
        ("CollaborationId", collaboration_id),
        ("SendTime", send_time),
        ("AuthCode", auth_code(sender, receiver, send_time, collaboration_id, secret)),
    ):
        SubElement(head, name).text = value
    package_body = SubElement(pkg, "PackageBody")
    if body is not None:
        package_body.append(body)
    return xml.envelope(pkg)


def answer_body(payload: bytes, status_code: int, *, province: str) -> Element:
    """The PackageBody of a success answer, or the mapped error."""
    try:
        root = xml.parse(payload)
    except ValueError as exc:
        if status_code >= 500:
            raise UpstreamUnavailable(f"HTTP {status_code}", province=province) from exc
        raise UpstreamProtocolError(str(exc), province=province) from exc
    fault = xml.fault_string(root)
    if fault is not None or status_code >= 500:
        raise UpstreamUnavailable(
            f"HTTP {status_code}" + (" SOAP fault" if fault else ""),
            province=province,
            code=codes.SYSTEM_ERROR,
            province_says=fault,
        )
    try:
        pkg = xml.find_package(root)
    except ValueError as exc:
        raise UpstreamProtocolError(str(exc), province=province) from exc
    code = pkg.findtext("PackageHead/ReturnCode")
    if code is None:
        raise UpstreamProtocolError("answer head has no ReturnCode", province=province)
    if code != codes.OK:
        raise error_for(code, pkg.findtext("PackageHead/ReturnMsg") or "", province=province)
    body = pkg.find("PackageBody")
    return body if body is not None else Element("PackageBody")


def error_for(code: str, message: str, *, province: str) -> AdapterError:
    text, says = f"code {code}", message
    if code in (codes.MISSING_FIELD, codes.NOT_ALLOWED):
        return UpstreamRejected(text, province=province, code=code, province_says=says)
    if code == codes.NOT_SERVED:
        return ItemNotServed(text, province=province, code=code, province_says=says)
    if code == codes.CASE_NOT_FOUND:
        return CaseNotFound(text, province=province, code=code, province_says=says)
    if code in (codes.AUTH_FAILED, codes.WRONG_RECEIVER, codes.STALE_TIME):
        return UpstreamAuthFailed(text, province=province, code=code, province_says=says)
    if code == codes.SYSTEM_ERROR:
        return UpstreamUnavailable(text, province=province, code=code, province_says=says)
    # 1001: the province could not read what we sent — a defect on our side, not theirs.
    return UpstreamProtocolError(text, province=province, code=code, province_says=says)


def leg_state(vocab: Vocabulary, body: Element, *, province: str) -> LegState:
    case = body.find("Case")
    if case is None:
        raise UpstreamProtocolError("answer body has no <Case>", province=province)
    reference = case.findtext("CaseNo")
    code = case.findtext("Status") or ""
    status = codes.STATUS.get(code)
    if not reference or status is None:
        raise UpstreamProtocolError(
            f"case answer without CaseNo or known Status ({code!r})",
            province=province,
            code=code or None,
        )
    result_el = case.find("Result")
    result: dict[str, Any] | None = None
    if result_el is not None:
        raw = xml.read(result_el)
        result = vocab.from_wire(raw) if isinstance(raw, dict) else None
    return LegState(
        reference=reference,
        status=status,
        provincial_code=code,
        description=case.findtext("StatusDesc") or "",
        reason=case.findtext("Reason") or None,
        result=result,
        updated_at=_time(case.findtext("UpdateTime")),
    )


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=SHANGHAI)
    except ValueError:
        return None
