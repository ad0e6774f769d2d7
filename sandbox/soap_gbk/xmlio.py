"""Reading and writing `soap_gbk` packages: GB18030 in, GBK out, defusedxml for parsing."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only; parsing goes through defusedxml
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
CONTENT_TYPE = "text/xml; charset=GBK"
DECLARATION = '<?xml version="1.0" encoding="GBK"?>'
HEAD_ORDER = (
    "Version",
    "SenderCode",
    "ReceiverCode",
    "BusinessType",
    "CollaborationId",
    "SendTime",
    "ReturnCode",
    "ReturnMsg",
)


class MalformedPackage(ValueError):
    """Not decodable, not well-formed, or not a package (ReturnCode 1001)."""


@dataclass(frozen=True)
class Package:
    head: dict[str, str]  # PackageHead child -> text
    body: ET.Element | None  # PackageBody


def local(tag: str) -> str:
    """`{namespace}Name` -> `Name`."""
    return tag.rsplit("}", 1)[-1]


def child(parent: ET.Element | None, name: str) -> ET.Element | None:
    if parent is None:
        return None
    for element in parent:
        if local(element.tag) == name:
            return element
    return None


def parse_package(raw: bytes) -> Package:
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise MalformedPackage("报文编码错误，应为GBK") from exc
    try:
        root: ET.Element = SafeET.fromstring(text, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise MalformedPackage(f"报文格式错误：{type(exc).__name__}") from exc
    if local(root.tag) != "Envelope":
        raise MalformedPackage("报文格式错误：缺少Envelope")
    package = child(child(root, "Body"), "Package")
    head = child(package, "PackageHead")
    if package is None or head is None:
        raise MalformedPackage("报文格式错误：缺少Package/PackageHead")
    fields = {local(e.tag): (e.text or "").strip() for e in head}
    return Package(head=fields, body=child(package, "PackageBody"))


def to_value(element: ET.Element) -> Any:
    """Element -> str (leaf), list (all children `<Item>`) or dict (other children)."""
    children = list(element)
    if not children:
        return (element.text or "").strip()
    if all(local(c.tag) == "Item" for c in children):
        return [to_value(c) for c in children]
    return {local(c.tag): to_value(c) for c in children}


def to_element(tag: str, value: Any) -> ET.Element | None:
    """The reverse of `to_value`; None (a missing value) gives no element."""
    if value is None:
        return None
    element = ET.Element(tag)
    if isinstance(value, Mapping):
        for key, item in value.items():
            sub = to_element(str(key), item)
            if sub is not None:
                element.append(sub)
    elif isinstance(value, list | tuple):
        for item in value:
            sub = to_element("Item", item)
            if sub is not None:
                element.append(sub)
    elif isinstance(value, bool):
        element.text = "1" if value else "0"
    else:
        element.text = str(value)
    return element


def _serialize(envelope: ET.Element) -> bytes:
    text = ET.tostring(envelope, encoding="unicode")
    # Characters outside GBK (rare name characters) become character references.
    return f"{DECLARATION}\n{text}".encode("gbk", errors="xmlcharrefreplace")


def _envelope() -> tuple[ET.Element, ET.Element]:
    envelope = ET.Element("soapenv:Envelope", {"xmlns:soapenv": SOAP_NS})
    return envelope, ET.SubElement(envelope, "soapenv:Body")


def build_answer(head: Mapping[str, str], body: ET.Element | None) -> bytes:
    envelope, soap_body = _envelope()
    package = ET.SubElement(soap_body, "Package")
    head_el = ET.SubElement(package, "PackageHead")
    for name in HEAD_ORDER:
        ET.SubElement(head_el, name).text = head.get(name, "")
    body_el = ET.SubElement(package, "PackageBody")
    if body is not None:
        body_el.append(body)
    return _serialize(envelope)


def build_fault(return_code: str, message: str) -> bytes:
    envelope, soap_body = _envelope()
    fault = ET.SubElement(soap_body, "soapenv:Fault")
    ET.SubElement(fault, "faultcode").text = "soapenv:Server"
    ET.SubElement(fault, "faultstring").text = f"{return_code} {message}"
    detail = ET.SubElement(fault, "detail")
    ET.SubElement(detail, "ReturnCode").text = return_code
    ET.SubElement(detail, "ReturnMsg").text = message
    return _serialize(envelope)
