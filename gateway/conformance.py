"""The adapter conformance kit: one contract, run against any province's live endpoint.

``tongban adapters check <province>`` prints the table; the test suite runs the same checks
for every configured province against the sandbox. Checks only use the province's own
configuration (as an ops team would register it) and items it claims to serve.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from adapters.base import (
    AdapterFamily,
    CallbackReceiver,
    ItemBinding,
    ProvinceAdapter,
    ProvinceConfig,
    SubmitRequest,
    wire_query,
)
from adapters.errors import AdapterError, CaseNotFound, ItemNotServed, UpstreamAuthFailed
from gateway import wire_json
from schemas import all_items
from schemas._model import Kind, ServiceItem
from schemas._status import CaseStatus

# A fixed, valid, published sample identity (GB 11643 example): never a real person.
SAMPLE_PERSON = {"name": "王小明", "id_number": "11010519491231002X", "phone": "13800138000"}


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    detail: str
    seconds: float


@dataclass
class Subject:
    """What a check runs against: the province's configuration, its adapter and family."""

    config: ProvinceConfig
    family: AdapterFamily
    http: httpx.AsyncClient

    def adapter(self, **changes: Any) -> ProvinceAdapter:
        config = self.config.model_copy(update=changes) if changes else self.config
        return self.family.bind(config, self.http)

    def items(self, kind: Kind) -> list[ServiceItem]:
        return [i for i in all_items() if i.kind is kind and i.code in self.config.items]


class CheckFailed(AssertionError):
    pass


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _example(item: ServiceItem) -> dict[str, Any]:
    extra = item.request_model.model_config.get("json_schema_extra")
    examples = extra.get("examples") if isinstance(extra, dict) else None
    if not isinstance(examples, list) or not examples:
        raise CheckFailed(f"{item.code} has no request example to send")
    data: dict[str, Any] = item.request_model.model_validate(examples[0]).model_dump(
        mode="json", exclude_none=True
    )
    return data


async def check_ping(s: Subject) -> str:
    await s.adapter().ping()
    return "answered"


async def check_submit_and_status(s: Subject) -> str:
    apps = s.items(Kind.application)
    _require(bool(apps), "the province serves no application item")
    item = apps[0]
    adapter = s.adapter()
    request = SubmitRequest(item=item.code, serial=f"TBCHK{uuid.uuid4().hex}", data=_example(item))
    first = await adapter.submit(request)
    _require(bool(first.reference), "no provincial reference")
    again = await adapter.submit(request)
    _require(
        again.reference == first.reference,
        f"same serial opened a second case ({first.reference} vs {again.reference})",
    )
    state = await adapter.status(item.code, first.reference)
    _require(state.reference == first.reference, "status answered for another case")
    withdrawn = await adapter.withdraw(item.code, first.reference)
    _require(
        withdrawn.status in (CaseStatus.cancelled, CaseStatus.rejected, CaseStatus.approved),
        f"withdrawal left the case {withdrawn.status}",
    )
    return f"{item.code}: {first.reference}, idempotent, status {state.status}, withdrawn"


async def check_query(s: Subject) -> str:
    queries = s.items(Kind.query)
    if not queries:
        return "no query item served (skipped)"
    answered, in_one_pass = 0, 0
    for item in queries:
        answer = await wire_query(s.adapter())(item.code, _example(item))
        item.result_model.model_validate(answer.canonical())
        answered += 1
        if answer.vocabulary is not None:
            # Not a failure: an answer the one pass refuses is read the exact way, slower.
            fast = wire_json.one_pass(item.result_model, answer.vocabulary)
            in_one_pass += fast is not None and fast.read(answer.data) is not None
    return (
        f"{answered} answers match their unified result schemas "
        f"({in_one_pass} read in one pass: gateway.wire_json)"
    )


async def check_status_codes(s: Subject) -> str:
    unknown = {code for code in s.family.status_codes.values()} - set(CaseStatus)
    _require(not unknown, f"codes map onto unknown statuses {unknown}")
    return f"{len(s.family.status_codes)} provincial codes map onto canonical statuses"


async def check_unknown_case(s: Subject) -> str:
    apps = s.items(Kind.application)
    item = apps[0].code if apps else "unknown"
    try:
        await s.adapter().status(item, "TBCHK-NO-SUCH-CASE")
    except CaseNotFound:
        return "CaseNotFound"
    raise CheckFailed("an unknown reference did not map to CaseNotFound")


async def check_unserved_item(s: Subject) -> str:
    apps = s.items(Kind.application)
    _require(bool(apps), "the province serves no application item")
    item = apps[0]
    adapter = s.adapter(
        items={**s.config.items, item.code: ItemBinding(local_code="TBCHK-NOT-SERVED")}
    )
    try:
        await adapter.submit(
            SubmitRequest(item=item.code, serial=f"TBCHK{uuid.uuid4().hex}", data=_example(item))
        )
    except ItemNotServed:
        return "ItemNotServed"
    raise CheckFailed("an unknown item code did not map to ItemNotServed")


async def check_auth(s: Subject) -> str:
    secret_keys = [k for k in s.config.credentials if "secret" in k]
    _require(bool(secret_keys), "no secret credential to falsify")
    wrong = {**s.config.credentials, **{k: "TBCHK-WRONG" for k in secret_keys}}
    try:
        await s.adapter(credentials=wrong).ping()
        apps = s.items(Kind.application)
        await s.adapter(credentials=wrong).status(apps[0].code if apps else "x", "TBCHK-X")
    except UpstreamAuthFailed:
        return "wrong credentials refused"
    except AdapterError as exc:
        raise CheckFailed(f"wrong credentials gave {type(exc).__name__}") from exc
    raise CheckFailed("wrong credentials were accepted")


async def check_encoding(s: Subject) -> str:
    """Chinese text survives the round trip (GBK, form encoding, JSON…)."""
    queries = s.items(Kind.query)
    apps = s.items(Kind.application)
    if apps:
        item = apps[0]
        data = _example(item)
        data["applicant"] = {**data.get("applicant", {}), "name": "欧阳龘"}
        state = await s.adapter().submit(
            SubmitRequest(item=item.code, serial=f"TBCHK{uuid.uuid4().hex}", data=data)
        )
        _require(bool(state.reference), "no reference for a rare-character name")
        return "rare characters accepted"
    _require(bool(queries), "nothing to send")
    return "no application item (skipped)"


async def check_callbacks(s: Subject) -> str:
    adapter = s.adapter()
    if not isinstance(adapter, CallbackReceiver):
        return "family reports by polling only (skipped)"
    try:
        adapter.verify_callback(
            {
                "X-Signature": "00",
                "X-Timestamp": str(int(time.time())),
                "X-Province": s.config.code,
            },
            b"{}",
        )
    except UpstreamAuthFailed:
        return "unsigned callback refused"
    raise CheckFailed("a callback with a wrong signature was accepted")


CHECKS: tuple[tuple[str, Callable[[Subject], Awaitable[str]]], ...] = (
    ("ping", check_ping),
    ("submit+status", check_submit_and_status),
    ("query", check_query),
    ("status codes", check_status_codes),
    ("error: unknown case", check_unknown_case),
    ("error: unserved item", check_unserved_item),
    ("auth", check_auth),
    ("encoding", check_encoding),
    ("callbacks", check_callbacks),
)


async def run_checks(subject: Subject) -> list[CheckResult]:
    results = []
    for name, check in CHECKS:
        started = time.perf_counter()
        try:
            detail = await check(subject)
            passed = True
        except CheckFailed as exc:
            detail, passed = str(exc), False
        except AdapterError as exc:
            detail, passed = f"{type(exc).__name__}: {exc.message}", False
        results.append(CheckResult(name, passed, detail, time.perf_counter() - started))
    return results
