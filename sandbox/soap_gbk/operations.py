"""The `soap_gbk` operations: submitCase, queryCase, supplementCase, withdrawCase, queryData, ping.

Each takes the checked package and answers the `PackageBody` content, or raises `SoapError`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox import answers
from sandbox.clock import wire_datetime
from sandbox.engine import Case, CaseNotFound, NotAllowed
from sandbox.items import Item
from sandbox.lifecycle import CLOSED, Status
from sandbox.provinces import Province
from sandbox.soap_gbk.xmlio import Package, child, to_element, to_value
from sandbox.state import SandboxState

FIELD_MISSING = "2001"
NOT_SERVED = "2002"
CASE_NOT_FOUND = "3001"
NOT_ALLOWED = "3002"

# canonical status -> (Status, StatusDesc)
STATUS: dict[Status, tuple[str, str]] = {
    Status.received: ("10", "已接收"),
    Status.accepted: ("20", "已受理"),
    Status.not_accepted: ("21", "不予受理"),
    Status.processing: ("30", "审核中"),
    Status.correction_requested: ("31", "需补正"),
    Status.closed_approved: ("40", "办结·准予"),
    Status.closed_refused: ("41", "办结·不予"),
    Status.withdrawn: ("50", "已撤销"),
}

__all__ = ["OPERATIONS", "STATUS", "Context", "SoapError", "Status"]


class SoapError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Context:
    state: SandboxState
    province: Province
    package: Package

    @property
    def business_type(self) -> str:
        return self.package.head.get("BusinessType", "")

    def body_part(self, name: str) -> ET.Element:
        element = child(self.package.body, name)
        if element is None:
            raise SoapError(FIELD_MISSING, f"缺少必填项：PackageBody/{name}")
        return element

    def expect_business_type(self, expected: str) -> None:
        if self.business_type != expected:
            raise SoapError(NOT_SERVED, f"业务类别应为{expected}：{self.business_type}")

    def item(self, *, query: bool) -> Item:
        item = self.province.items.get(self.business_type)
        if item is None or item.kind.query != query:
            raise SoapError(NOT_SERVED, f"事项未开通：{self.business_type}")
        return item


def _text(parent: ET.Element | None, path: str, where: str, *, required: bool = True) -> str:
    element = parent
    for name in path.split("/"):
        element = child(element, name)
    value = (element.text or "").strip() if element is not None and not len(element) else ""
    if required and not value:
        raise SoapError(FIELD_MISSING, f"缺少必填项：{where}/{path}")
    return value


def _data(ctx: Context, case_el: ET.Element) -> dict[str, Any]:
    data_el = child(case_el, "Data")
    value = to_value(data_el) if data_el is not None else None
    if not isinstance(value, dict):
        raise SoapError(FIELD_MISSING, "缺少必填项：Case/Data")
    try:
        answers.check_spelling(ctx.province, value)
    except answers.Invalid as exc:
        raise SoapError(FIELD_MISSING, f"字段错误：{_problem('Case/Data', exc)}") from exc
    return value


def _problem(where: str, exc: answers.Invalid) -> str:
    return f"{exc.field('/', prefix=where)} {exc.problem}"


def _case_answer(ctx: Context, case: Case, *, full: bool = True) -> ET.Element:
    code, desc = STATUS[case.status]
    answer: dict[str, Any] = {"CaseNo": case.reference, "Status": code, "StatusDesc": desc}
    if full:
        answer["UpdateTime"] = wire_datetime(case.status_since)
        answer["Reason"] = case.reason
        if case.status in CLOSED and case.decision is not None:
            answer["Result"] = answers.decision_fields(ctx.province, case.decision)
    element = to_element("Case", answer)
    assert element is not None
    return element


def _existing(ctx: Context, act: Callable[[str], Case], operation: str) -> ET.Element:
    ctx.expect_business_type("QUERY")
    reference = _text(ctx.body_part("Case"), "CaseNo", "Case")
    try:
        return _case_answer(ctx, act(reference))
    except CaseNotFound as exc:
        raise SoapError(CASE_NOT_FOUND, f"办件不存在：{reference}") from exc
    except NotAllowed as exc:
        code, desc = STATUS[exc.case.status]
        raise SoapError(NOT_ALLOWED, f"办件状态（{code} {desc}）不允许{operation}") from exc


def submit_case(ctx: Context) -> ET.Element:
    item = ctx.item(query=False)
    case_el = ctx.body_part("Case")
    data = _data(ctx, case_el)
    try:
        party = answers.submission_party(ctx.province, data)
    except answers.Invalid as exc:
        raise SoapError(FIELD_MISSING, f"缺少必填项：{_problem('Case/Data', exc)}") from exc
    case, _ = ctx.state.engine.submit(
        ctx.province.code,
        serial=ctx.package.head["CollaborationId"],
        item=item,
        party=party,
        data=data,
        sender=ctx.package.head.get("SenderCode"),
        related_ref=_text(case_el, "RelatedRef", "Case", required=False) or None,
    )
    return _case_answer(ctx, case, full=False)


def query_case(ctx: Context) -> ET.Element:
    return _existing(ctx, lambda ref: ctx.state.engine.get(ctx.province.code, ref), "查询")


def supplement_case(ctx: Context) -> ET.Element:
    ctx.expect_business_type("QUERY")
    data = _data(ctx, ctx.body_part("Case"))
    return _existing(
        ctx, lambda ref: ctx.state.engine.supplement(ctx.province.code, ref, data), "补正"
    )


def withdraw_case(ctx: Context) -> ET.Element:
    return _existing(ctx, lambda ref: ctx.state.engine.withdraw(ctx.province.code, ref), "撤销")


def query_data(ctx: Context) -> ET.Element:
    item = ctx.item(query=True)
    conditions = to_value(ctx.body_part("Query"))
    if not isinstance(conditions, dict):
        conditions = {}
    try:
        result = answers.lookup(ctx.state, ctx.province, item, conditions)
    except answers.Invalid as exc:
        raise SoapError(FIELD_MISSING, f"查询条件错误：{_problem('Query', exc)}") from exc
    element = to_element("Result", result)
    assert element is not None
    return element


def ping(ctx: Context) -> None:
    ctx.expect_business_type("PING")


OPERATIONS: dict[str, Callable[[Context], ET.Element | None]] = {
    "submitCase": submit_case,
    "queryCase": query_case,
    "supplementCase": supplement_case,
    "withdrawCase": withdraw_case,
    "queryData": query_data,
    "ping": ping,
}
