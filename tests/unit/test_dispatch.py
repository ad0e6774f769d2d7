"""Queries fan out to the provinces a request names; each is told only about itself."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import httpx
import pytest

from adapters.base import ItemBinding, LegState, ProvinceAdapter, ProvinceConfig, SubmitRequest
from adapters.vocabulary import Vocabulary, WireAnswer
from gateway.catalogue import Catalogue
from gateway.dispatch import narrowed, run_query
from gateway.registry import Registry
from schemas._status import CaseStatus

ITEM = "social-insurance-contributions"
PERSON = {"name": "张三", "id_number": "11010519491231002X"}


class Recording:
    """A province that answers no records and remembers the conditions it was asked."""

    def __init__(self, config: ProvinceConfig, asked: dict[str, dict[str, Any]]) -> None:
        self.config = config
        self.asked = asked

    async def query(self, item: str, conditions: dict[str, Any]) -> dict[str, Any]:
        self.asked[self.config.code] = conditions
        return {"records": [], "months_paid": 0}

    async def ping(self) -> None:
        return None

    async def submit(self, request: SubmitRequest) -> LegState:
        raise NotImplementedError

    async def status(self, item: str, reference: str) -> LegState:
        raise NotImplementedError

    async def supplement(self, item: str, reference: str, data: dict[str, Any]) -> LegState:
        raise NotImplementedError

    async def withdraw(self, item: str, reference: str) -> LegState:
        raise NotImplementedError


class RecordingFamily:
    name = "recording"
    description = "test"
    required_credentials: tuple[str, ...] = ()
    status_codes: Mapping[str, CaseStatus] = MappingProxyType({})

    def __init__(self, adapter: type[Recording] = Recording) -> None:
        self.adapter = adapter
        self.asked: dict[str, dict[str, Any]] = {}

    def bind(self, config: ProvinceConfig, http: httpx.AsyncClient) -> ProvinceAdapter:
        return self.adapter(config, self.asked)


def _registry(family: RecordingFamily, *codes: str) -> Registry:
    registry = Registry(families={"recording": family}, http=None)  # type: ignore[arg-type]
    for code in codes:
        registry.install(
            ProvinceConfig(
                code=code,
                family="recording",
                base_url="http://127.0.0.1:1",
                items={ITEM: ItemBinding(local_code="X")},
            )
        )
    return registry


async def test_each_province_is_asked_about_itself_alone() -> None:
    item = Catalogue.load().get(ITEM)
    assert item is not None
    provinces = ["440000", "510000", "110000"]
    query = item.request_model.model_validate(
        {"person": PERSON, "provinces": provinces, "from_month": "2020-01"}
    )
    family = RecordingFamily()
    complete, answers = await run_query(item, query, _registry(family, *provinces))
    assert complete
    assert [a["province"] for a in answers] == provinces
    assert family.asked == {
        code: {"person": PERSON, "provinces": [code], "from_month": "2020-01"} for code in provinces
    }


def test_narrowing_leaves_the_request_and_single_province_roles_alone() -> None:
    catalogue = Catalogue.load()
    many = catalogue.get(ITEM)
    assert many is not None
    conditions = {"person": PERSON, "provinces": ["440000", "510000"]}
    assert narrowed(conditions, many, "510000") == {"person": PERSON, "provinces": ["510000"]}
    assert conditions["provinces"] == ["440000", "510000"]  # the request's own is unchanged
    single = next(i for i in catalogue.items() if i.roles and not i.roles[0].many)
    asked = {single.roles[0].field: "440000", "x": 1}
    assert narrowed(asked, single, "440000") is asked


class Hanging(Recording):
    """A province that never answers; it records whether its call was cancelled."""

    cancelled: ClassVar[set[str]] = set()

    async def query(self, item: str, conditions: dict[str, Any]) -> dict[str, Any]:
        self.asked[self.config.code] = conditions
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            Hanging.cancelled.add(self.config.code)
            raise
        raise AssertionError("unreachable")


@pytest.mark.parametrize(
    "provinces", [["440000", "510000", "110000"], ["440000"]], ids=["fan-out", "one"]
)
async def test_a_query_abandoned_cancels_every_province_call(provinces: list[str]) -> None:
    # Awaiting the provinces one by one, a cancelled query cancelled only the one it was
    # awaiting: the others ran on unattended, holding their bulkhead slots. One province
    # is asked in the query's own task: cancelling the query cancels the call.
    item = Catalogue.load().get(ITEM)
    assert item is not None
    query = item.request_model.model_validate({"person": PERSON, "provinces": provinces})
    family = RecordingFamily(Hanging)
    registry = _registry(family, *provinces)
    Hanging.cancelled.clear()
    task = asyncio.ensure_future(run_query(item, query, registry))
    for _ in range(10):  # every province's call under way
        await asyncio.sleep(0)
    assert set(family.asked) == set(provinces)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert Hanging.cancelled == set(provinces)
    assert all(registry.guards.get(code).in_flight == 0 for code in provinces)


async def test_one_province_among_several_unserved_is_asked_and_the_rest_explained() -> None:
    item = Catalogue.load().get(ITEM)
    assert item is not None
    query = item.request_model.model_validate(
        {"person": PERSON, "provinces": ["110000", "440000", "510000"]}
    )
    family = RecordingFamily()
    complete, answers = await run_query(item, query, _registry(family, "440000"))
    assert not complete
    assert [(a["province"], a["ok"]) for a in answers] == [
        ("110000", False),
        ("440000", True),
        ("510000", False),
    ]
    assert set(family.asked) == {"440000"}


class Nested(Recording):
    """A province whose answer nests past what translation can read."""

    async def query_wire(self, item: str, conditions: dict[str, Any]) -> WireAnswer:
        deep: Any = "x"
        for _ in range(5000):
            deep = {"k": deep}
        upper = Vocabulary({}, {}, wire_case=str.upper, canonical_case=str.lower)
        return WireAnswer({"RECORDS": [], "MONTHS_PAID": 0, "EXTRA": deep}, upper)


async def test_an_answer_translation_cannot_read_is_the_provinces_bad_answer() -> None:
    # Translated inside the adapter, such an answer was the adapter failing (502); read
    # after it, it must still be a 502 naming the province, never a 500.
    item = Catalogue.load().get(ITEM)
    assert item is not None
    query = item.request_model.model_validate({"person": PERSON, "provinces": ["440000"]})
    complete, answers = await run_query(item, query, _registry(RecordingFamily(Nested), "440000"))
    assert not complete
    problem = answers[0]["problem"]
    assert (problem["status"], problem["province"]) == (502, "440000")
    assert "RecursionError" in problem["detail"]
