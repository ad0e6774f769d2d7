"""Every query item, on every family: the answer, read back through the family's vocabulary,
uses only keys the item's result model knows and validates against it.

The translation here is the tests' own (the province's vocabulary read backwards, unmapped
keys in the sender's spelling, compact dates by key suffix, national insurance codes), not
the gateway's adapters; the contract suite (tests/adapters) runs the adapters themselves.
One province per family is given every lookup, so coverage does not limit the check.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest

from sandbox.app import create_app
from sandbox.data import ContributionData
from sandbox.items import Item
from sandbox.lookups import LOOKUPS, LookupRequest
from sandbox.provinces import KINDS, Catalog, Province, load_catalog
from sandbox.soap_gbk.xmlio import child, to_element, to_value
from sandbox.testing import basic_auth, form_fields, read_soap_answer, soap_headers, soap_request
from schemas import all_items, model_examples
from schemas._model import Kind, ServiceItem
from schemas._temporal import catalogue_temporal_fields

QUERIES = [item for item in all_items() if item.kind is Kind.query]
PROVINCE_OF = {
    "rest_oauth": "320000",  # with a spelling of its own (sjhm)
    "soap_gbk": "410000",  # ZJHM
    "form_sm3": "350000",  # realName
    "batch_callback": "650000",  # shenfenzhenghaoma
}
IDS = ("11010519491231002X", "440106198503150011", "510107199007040023")
INSURANCE = {"pension": "110", "unemployment": "210", "medical": "310"}
INSURANCE |= {"work-injury": "410", "maternity": "510"}
CANONICAL = {"closing_date": "decided_on", "registration_date": "registered_on"}


def full_catalog() -> Catalog:
    """The bundled catalog, with one province per family serving every lookup."""
    base = load_catalog()
    provinces = dict(base.provinces)
    for code in PROVINCE_OF.values():
        items = {f"Q-{name}": Item(f"Q-{name}", KINDS[name], name) for name in LOOKUPS}
        provinces[code] = replace(provinces[code], items=items)
    return replace(base, provinces=provinces)


# --- the tests' own translation -----------------------------------------------------------


def compact(family: str) -> bool:
    return family != "form_sm3"


def to_wire(province: Province, value: Any, key: str | None = None) -> Any:
    vocab = province.vocab
    if isinstance(value, dict):
        return {vocab.key(k): to_wire(province, v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire(province, v, key) for v in value]
    if isinstance(value, str):
        if key in ("insurance_type", "insurance_types") and value in INSURANCE:
            return INSURANCE[value]
        if compact(province.family) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
            return value.replace("-", "")
    return value


def from_wire(province: Province, value: Any, key: str | None = None) -> Any:
    inverse = {wire: meaning for meaning, wire in province.vocab.as_dict().items()}
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            meaning = inverse.get(k) or (k.lower() if province.family == "soap_gbk" else k)
            canonical = CANONICAL.get(meaning, meaning)
            out[canonical] = from_wire(province, v, canonical)
        return out
    if isinstance(value, list):
        return [from_wire(province, v, key) for v in value]
    if isinstance(value, str) and key:
        if key == "insurance_type":
            return {code: name for name, code in INSURANCE.items()}.get(value, value)
        if compact(province.family):
            # The receiver knows its fields' types, not the sender's naming habits.
            kind = catalogue_temporal_fields().get(key)
            if kind == "month" and re.fullmatch(r"\d{6}", value):
                return f"{value[:4]}-{value[4:]}"
            if kind == "date" and re.fullmatch(r"\d{8}", value):
                return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def unknown_keys(value: Any, schema: dict[str, Any], defs: dict[str, Any], path: str) -> list[str]:
    """Keys in `value` the JSON schema does not name (following refs, unions and items)."""
    if "$ref" in schema:
        return unknown_keys(value, defs[schema["$ref"].rsplit("/", 1)[-1]], defs, path)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            options = [unknown_keys(value, s, defs, path) for s in schema[union]]
            return min(options, key=len)
    if isinstance(value, dict):
        if schema.get("type") not in (None, "object") or "properties" not in schema:
            return [f"{path} (not an object)"] if schema.get("type") != "object" else []
        found = []
        for k, v in value.items():
            if k not in schema["properties"]:
                found.append(f"{path}.{k}")
            else:
                found += unknown_keys(v, schema["properties"][k], defs, f"{path}.{k}")
        return found
    if isinstance(value, list) and "items" in schema:
        return [p for v in value for p in unknown_keys(v, schema["items"], defs, f"{path}[]")]
    return []


# --- asking each family ---------------------------------------------------------------------

Ask = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


async def asker(family: str, client: httpx.AsyncClient, province: Province) -> Ask:
    code = province.code
    auth = province.auth
    if family == "rest_oauth":
        grant = {
            "grant_type": "client_credentials",
            **{k: auth[k] for k in ("client_id", "client_secret")},
        }
        token = (await client.post(f"/{code}/oauth/token", data=grant)).json()["access_token"]

        async def rest(item: str, conditions: dict[str, Any]) -> dict[str, Any]:
            answer = await client.post(
                f"/{code}/api/v1/cx/{item}",
                json={"cxtj": conditions},
                headers={"Authorization": f"Bearer {token}"},
            )
            body = answer.json()
            assert body["code"] == "0000", body
            data: dict[str, Any] = body["data"]
            return data

        return rest
    if family == "soap_gbk":
        [(sender, secret)] = auth["senders"].items()

        async def soap(item: str, conditions: dict[str, Any]) -> dict[str, Any]:
            query = to_element("Query", conditions)
            raw = soap_request(
                item,
                query,
                collaboration_id="q",
                sender=sender,
                receiver=auth["receiver_code"],
                secret=secret,
            )
            answer = await client.post(
                f"/{code}/services/XzfwService", content=raw, headers=soap_headers("queryData")
            )
            package = read_soap_answer(answer.content)
            assert package.head["ReturnCode"] == "0", package.head
            result = child(package.body, "Result")
            assert isinstance(result, ET.Element)
            value = to_value(result)
            return value if isinstance(value, dict) else {}

        return soap
    if family == "form_sm3":
        [(app_key, app_secret)] = auth["apps"].items()

        async def form(item: str, conditions: dict[str, Any]) -> dict[str, Any]:
            biz = {"itemCode": item, "conditions": conditions}
            fields = form_fields("data.query", biz, app_key=app_key, secret=app_secret)
            body = (await client.post(f"/{code}/open/api", data=fields)).json()
            assert body["code"] == "0", body
            data: dict[str, Any] = body["data"]
            return data

        return form
    [(client_id, client_secret)] = auth["clients"].items()

    async def batch(item: str, conditions: dict[str, Any]) -> dict[str, Any]:
        answer = await client.post(
            f"/{code}/lookups/{item}",
            json={"conditions": conditions},
            headers=basic_auth(client_id, client_secret),
        )
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()["data"]
        return data

    return batch


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return full_catalog()


@pytest.fixture(params=list(PROVINCE_OF))
async def family(
    request: pytest.FixtureRequest, catalog: Catalog
) -> AsyncIterator[tuple[Province, Ask]]:
    name: str = request.param
    app = create_app(name, step_seconds=60, catalog=catalog)
    province = catalog.provinces[PROVINCE_OF[name]]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        yield province, await asker(name, client, province)
    worker = getattr(app.state, "worker", None)
    if worker is not None:
        await worker.stop()


def example(item: ServiceItem, id_number: str) -> dict[str, Any]:
    data = item.request_model.model_validate(model_examples(item.request_model)[0])
    conditions: dict[str, Any] = data.model_dump(mode="json", exclude_none=True)

    def swap(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: id_number if k == "id_number" else swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    return dict(swap(conditions))


@functools.cache
def schema_of(item: ServiceItem) -> tuple[dict[str, Any], dict[str, Any]]:
    schema = item.result_model.model_json_schema()
    return schema, schema.get("$defs", {})


def test_every_query_item_has_a_generator() -> None:
    assert {item.code for item in QUERIES} <= set(LOOKUPS)


async def test_every_query_round_trips(family: tuple[Province, Ask]) -> None:
    province, ask = family
    problems: list[str] = []
    for item in QUERIES:
        schema, defs = schema_of(item)
        for id_number in IDS:
            conditions = to_wire(province, example(item, id_number))
            wire = await ask(f"Q-{item.code}", conditions)
            canonical = from_wire(province, wire)
            problems += [f"{item.code}: {k}" for k in unknown_keys(canonical, schema, defs, "")]
            item.result_model.model_validate(canonical)
    assert problems == []


def test_generators_say_something_for_many() -> None:
    """Across people, every lookup gives substantial answers (not only "not found")."""
    catalog = load_catalog()
    province = catalog.provinces["440000"]
    data = ContributionData("202512", lambda: 1_767_000_000.0)
    for item in QUERIES:
        said = 0
        for n in range(40):
            born = f"{1960 + n * 7 % 60}{1 + n % 12:02d}{1 + n % 28:02d}"
            id_number = f"440105{born}{n:03d}X"
            conditions = to_wire(province, example(item, id_number))
            request = LookupRequest(item.code, province, conditions, data, 1_767_000_000.0)
            tree = LOOKUPS[item.code].answer(request)
            lists = sum(len(v) for v in tree.values() if isinstance(v, list))
            said += lists > 0 or len([v for v in tree.values() if v is not None]) > 2
        assert said >= 6, item.code


async def test_answers_are_deterministic(family: tuple[Province, Ask]) -> None:
    province, ask = family
    for item in QUERIES[:6]:
        conditions = to_wire(province, example(item, IDS[0]))
        assert await ask(f"Q-{item.code}", conditions) == await ask(f"Q-{item.code}", conditions)
