"""Every request and result model: examples validate, extras are refused, fields described."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from schemas import all_items, model_examples
from schemas._model import ServiceItem

ITEMS = all_items()


def item_id(item: ServiceItem) -> str:
    return item.code


def _all_models() -> list[type[BaseModel]]:
    seen: dict[str, type[BaseModel]] = {}
    for item in ITEMS:
        for model in (item.request_model, item.result_model):
            seen.setdefault(f"{model.__module__}.{model.__qualname__}", model)
    return list(seen.values())


def examples_of(model: type[BaseModel]) -> list[dict[str, Any]]:
    found = model_examples(model)
    assert found, f"{model.__qualname__} has no examples"
    return found


MODELS = _all_models()
_BILINGUAL = re.compile(r"[A-Za-z].* / .*[\u4e00-\u9fff]")


def _model_id(model: type[BaseModel]) -> str:
    return model.__qualname__


@pytest.mark.parametrize("model", MODELS, ids=_model_id)
def test_examples_validate(model: type[BaseModel]) -> None:
    for example in examples_of(model):
        model.model_validate(example)
    schema = model.model_json_schema()
    assert schema["examples"], "examples reach the JSON Schema"


@pytest.mark.parametrize("item", ITEMS, ids=item_id)
def test_request_models_forbid_unknown_fields(item: ServiceItem) -> None:
    example = examples_of(item.request_model)[0]
    example["unexpected_field"] = "x"
    with pytest.raises(ValidationError) as caught:
        item.request_model.model_validate(example)
    assert [e["type"] for e in caught.value.errors()] == ["extra_forbidden"]


def _nested_models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    origin = get_origin(annotation)
    if origin in (list, tuple, set, dict, Union, UnionType, Annotated):
        args = get_args(annotation)
        for arg in args[:1] if origin is Annotated else args:
            yield from _nested_models(arg)


def _description(info: FieldInfo) -> str | None:
    if info.description:
        return info.description
    for arg in get_args(info.annotation):
        if get_origin(arg) is Annotated:
            for meta in get_args(arg)[1:]:
                if isinstance(meta, FieldInfo) and meta.description:
                    return meta.description
    return None


def _walk(model: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[tuple[str, FieldInfo]]:
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        nested = list(_nested_models(info.annotation))
        if nested:
            for inner in nested:
                yield from _walk(inner, seen)
        else:
            yield f"{model.__qualname__}.{name}", info


@pytest.mark.parametrize("model", MODELS, ids=_model_id)
def test_every_field_has_a_bilingual_description(model: type[BaseModel]) -> None:
    missing = [
        name
        for name, info in _walk(model, set())
        if not _BILINGUAL.search(_description(info) or "")
    ]
    assert not missing, f"fields without an 'English / 中文' description: {missing}"


def _paths(value: Any, key: str, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key and isinstance(v, str):
                yield (*prefix, k)
            yield from _paths(v, key, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, key, (*prefix, i))


def _replace(document: dict[str, Any], path: tuple[Any, ...], new: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return changed


def _rejected_at(model: type[BaseModel], document: dict[str, Any], path: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(document)
    locations = [tuple(error["loc"]) for error in caught.value.errors()]
    assert path in locations, f"expected an error at {path}, got {locations}"


@pytest.mark.parametrize("item", ITEMS, ids=item_id)
def test_invalid_identifiers_are_rejected_with_the_field_named(item: ServiceItem) -> None:
    example = examples_of(item.request_model)[0]
    bad = [
        ("id_number", "110105194912310021"),  # wrong check digit
        ("id_number", "110001198501011233"),  # a region without a county (stdnum: KeyError)
        ("credit_code", "91110000600037341X"),  # wrong check digit
    ]
    for key, value in bad:
        for path in _paths(example, key):
            _rejected_at(item.request_model, _replace(example, path, value), path)


@pytest.mark.parametrize("item", ITEMS, ids=item_id)
def test_invalid_province_codes_are_rejected_with_the_field_named(item: ServiceItem) -> None:
    example = examples_of(item.request_model)[0]
    for role in item.roles:
        path: tuple[Any, ...] = tuple(role.field.split("."))
        if role.many:
            _rejected_at(item.request_model, _replace(example, path, ["990000"]), (*path, 0))
        else:
            for bad in ("990000", "440100", "Guangdong"):
                _rejected_at(item.request_model, _replace(example, path, bad), path)


def test_every_item_example_names_an_applicant_or_a_person() -> None:
    for item in ITEMS:
        example = examples_of(item.request_model)[0]
        found = list(_paths(example, "id_number")) + list(_paths(example, "credit_code"))
        assert found, f"{item.code}: the example identifies nobody"


def test_component_names_are_unique_across_the_catalogue() -> None:
    """Two models of one name would reach OpenAPI as ``schemas__module__Name``."""
    pairs: list[tuple[type[BaseModel], JsonSchemaMode]] = []
    for item in ITEMS:
        pairs += [(item.request_model, "validation"), (item.result_model, "serialization")]
    _, schema = models_json_schema(pairs, ref_template="#/components/schemas/{model}")
    names = list(schema.get("$defs", {}))
    assert len(names) >= len(ITEMS)
    assert [name for name in names if "__" in name] == []


@pytest.mark.parametrize("text", ["张\x00三", "张\x01三", "张\x7f三"])
def test_request_text_refuses_control_characters(text: str) -> None:
    # They broke the SOAP provinces' XML (each such request counted against the province's
    # breaker, so one client could cut a province off) and PostgreSQL refuses NUL.
    item = next(i for i in all_items() if i.code == "social-insurance-contributions")
    with pytest.raises(ValidationError) as caught:
        item.request_model.model_validate(
            {"person": {"name": text, "id_number": "11010519491231002X"}, "provinces": ["610000"]}
        )
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [
        ("control_character", ("person", "name"))
    ]


def test_request_integers_stay_within_json_s_safe_range() -> None:
    # 2**70 vehicles passed validation, then no JSON encoder downstream could write it (500).
    item = next(i for i in all_items() if i.code == "freight-operation-permit")
    example = model_examples(item.request_model)[0]
    item.request_model.model_validate({**example, "vehicles": 2**53 - 1})
    with pytest.raises(ValidationError) as caught:
        item.request_model.model_validate({**example, "vehicles": 2**70})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [
        ("integer_too_large", ("vehicles",))
    ]


@pytest.mark.parametrize(
    ("item_code", "field", "value", "kind"),
    [
        # lax mode took "yes" and 1 for true: a pledge given without being given
        ("enterprise-deregistration", "no_debts_pledge", "yes", "bool_type"),
        ("enterprise-deregistration", "no_debts_pledge", 1, "bool_type"),
        # and true for 1
        ("freight-operation-permit", "vehicles", True, "int_type"),
        # and a Unix timestamp, or a date-time, for a date
        ("enterprise-deregistration", "notice_ended_on", 1713571200, "date_type"),
        ("enterprise-deregistration", "notice_ended_on", "1713571200", "date_type"),
        ("enterprise-deregistration", "notice_ended_on", "2024-04-20T00:00:00", "date_type"),
    ],
)
def test_requests_take_json_s_own_types_not_lax_coercions(
    item_code: str, field: str, value: Any, kind: str
) -> None:
    item = next(i for i in all_items() if i.code == item_code)
    example = model_examples(item.request_model)[0]
    assert field in example
    item.request_model.model_validate_json(json.dumps(example))
    with pytest.raises(ValidationError) as caught:
        item.request_model.model_validate_json(json.dumps({**example, field: value}))
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [(kind, (field,))]
