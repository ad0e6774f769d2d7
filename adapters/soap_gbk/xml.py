"""Plain data ⇄ the family's XML conventions (objects are elements, lists are <Item>s).

Parsing goes through defusedxml (no entity expansion, no external entities) after decoding
GBK bytes as GB18030, its superset: the stdlib parser refuses multi-byte encodings it does
not know as bytes.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

import defusedxml.ElementTree as SafeET

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
register_namespace("soapenv", SOAP_NS)


def append(parent: Element, name: str, value: Any) -> None:
    """Append ``value`` under ``parent`` as element ``name``; None is left out."""
    if value is None:
        return
    child = SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            append(child, key, inner)
    elif isinstance(value, list):
        for inner in value:
            append(child, "Item", inner)
    elif isinstance(value, bool):
        child.text = "1" if value else "0"
    else:
        child.text = str(value)


def read(element: Element) -> Any:
    """An element as plain data: text, dict of children, or list when all are <Item>."""
    children = list(element)
    if not children:
        return element.text or ""
    if all(child.tag == "Item" for child in children):
        return [read(child) for child in children]
    # An empty element carries nothing (an empty list, an unset value): like an absent one.
    return {child.tag: read(child) for child in children if len(child) or child.text}


def envelope(package: Element) -> bytes:
    env = Element(f"{{{SOAP_NS}}}Envelope")
    body = SubElement(env, f"{{{SOAP_NS}}}Body")
    body.append(package)
    text = tostring(env, encoding="unicode")
    # Characters outside GBK (rare names: 䶮, 𠅤) travel as XML character references.
    return ('<?xml version="1.0" encoding="GBK"?>\n' + text).encode("gbk", "xmlcharrefreplace")


def parse(payload: bytes) -> Element:
    """Parse a GBK (or UTF-8) SOAP answer; raise ValueError on anything malformed."""
    try:
        text = payload.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ValueError("answer is not GBK text") from exc
    # The declaration names GBK, but we hand the parser a str: drop it.
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    try:
        root = SafeET.fromstring(text)
    except SafeET.ParseError as exc:
        raise ValueError("answer is not well-formed XML") from exc
    except Exception as exc:  # defusedxml's DTD/entity refusals
        raise ValueError(f"answer refused by the safe parser: {type(exc).__name__}") from exc
    if not isinstance(root, Element):
        raise ValueError("answer has no root element")
    return root


def find_package(root: Element) -> Element:
    package = root.find(f"{{{SOAP_NS}}}Body/Package")
    if package is None:
        raise ValueError("answer has no soapenv:Body/Package")
    return package


def fault_string(root: Element) -> str | None:
    fault = root.find(f"{{{SOAP_NS}}}Body/{{{SOAP_NS}}}Fault")
    if fault is None:
        return None
    return fault.findtext("faultstring") or "SOAP fault"
