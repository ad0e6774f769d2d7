"""A province's answer validated against the item's result model and written as JSON, without
building the model's objects.

``model_validate`` then ``to_json`` builds a Python object per record and walks them again to
write them: for a year of contributions (60 records) 1.6 M instructions, 30 % of a whole query
(``bench/instructions.py``'s harness). Here the result model's own pydantic-core schema is
rewritten once per model, models becoming typed dicts (the same fields, constraints,
validators, defaults and configuration), and the validated plain values are written by
orjson: same checks, same bytes.

Only what is known to write the same is rewritten (``_SAME``); a model using anything else
(a model validator, a custom serializer, aliases, datetimes…) keeps the models' way
(``plain_encoder`` returns None), as does any answer the fast way refuses, so errors are the
models' own. ``tests/unit/test_answer_json.py`` holds every result model's examples to the
models' bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import orjson
from pydantic import BaseModel
from pydantic_core import CoreSchema, SchemaValidator, core_schema

Encoder = Callable[[Any], bytes]

# Node types whose validated values orjson writes exactly as pydantic-core does.
_SAME = frozenset(
    {
        "any", "none", "bool", "int", "float", "str", "date", "enum", "literal",
        "nullable", "default", "list", "union", "tagged-union", "chain",
        "function-before", "function-after", "function-plain", "function-wrap",
        "definitions", "definition-ref", "decimal",
    }
)  # fmt: skip


# What a model validator wraps: the model, or a reference that may be one.
_OBJECTS = frozenset({"model", "definition-ref", "definitions"})


class _Unsupported(Exception):
    pass


@functools.cache
def encoder(model: type[BaseModel]) -> Encoder:
    """``raw → JSON bytes`` for ``model``: the plain encoder where the rewrite covers the
    model, else the model's own way. Built on the model's first use, not at start-up."""
    return plain_encoder(model) or through_the_model(model)


def through_the_model(model: type[BaseModel]) -> Encoder:
    """``model.model_validate(raw)`` serialised by alias: what every encoder must equal."""

    def encode(raw: Any) -> bytes:
        result = model.model_validate(raw)
        return result.__pydantic_serializer__.to_json(result, by_alias=True)

    return encode


def plain_encoder(model: type[BaseModel]) -> Encoder | None:
    """``raw → JSON bytes``, as ``through_the_model`` would write it, without the model's
    objects; None if the model uses something the rewrite does not cover."""
    schema = plain_schema(model)
    if schema is None:
        return None
    validator = SchemaValidator(schema)
    by_model = through_the_model(model)

    def encode(raw: Any) -> bytes:
        try:
            return orjson.dumps(validator.validate_python(raw))
        except (ValueError, TypeError):  # refused (ValidationError) or not writable by orjson
            return by_model(raw)  # the model's own verdict

    return encode


@functools.cache
def plain_schema(model: type[BaseModel]) -> CoreSchema | None:
    """``model``'s pydantic-core schema with its models as typed dicts, as ``plain_encoder``
    validates with it; None if the model uses something the rewrite does not cover."""
    try:
        schema: CoreSchema = _plain(model.__pydantic_core_schema__)
    except _Unsupported:
        return None
    return schema


def _plain(node: Any) -> Any:
    text = (node.get("metadata") or {}).get("answer_text_schema")
    if text is not None:  # a type that says how to validate into its JSON text (Money)
        return text
    kind = node.get("type")
    if kind == "model":
        return _typed_dict(node)
    if kind not in _SAME:
        raise _Unsupported(kind)
    if kind.startswith("function-") and node.get("schema", {}).get("type") in _OBJECTS:
        raise _Unsupported("a model validator")  # it would be handed a dict, not the model
    out = {key: value for key, value in node.items() if key != "serialization"}
    for key in ("schema", "items_schema"):
        if key in out:
            out[key] = _plain(out[key])
    if kind == "union":
        out["choices"] = [
            (_plain(c[0]), c[1]) if isinstance(c, tuple) else _plain(c) for c in out["choices"]
        ]
    elif kind == "tagged-union":
        out["choices"] = {tag: _plain(choice) for tag, choice in out["choices"].items()}
    elif kind == "chain":
        out["steps"] = [_plain(step) for step in out["steps"]]
    elif kind == "definitions":
        out["definitions"] = [_plain(definition) for definition in out["definitions"]]
    serialization = node.get("serialization")
    if kind == "decimal" or serialization is not None:
        # pydantic writes a Decimal (and a to-string serialised value) as str(value)
        if serialization not in (None, {"type": "to-string", "when_used": "json"}):
            raise _Unsupported(f"{kind} serializer")
        return core_schema.no_info_after_validator_function(str, out)
    return out


def _typed_dict(node: dict[str, Any]) -> CoreSchema:
    inner = node["schema"]
    if (
        node.get("custom_init")
        or node.get("root_model")
        or node.get("post_init")
        or inner.get("type") != "model-fields"
        or inner.get("computed_fields")
        or inner.get("extras_schema")
        or inner.get("extra_behavior") == "allow"
        or node.get("config", {}).get("extra_fields_behavior") == "allow"
    ):
        raise _Unsupported(f"model {node.get('cls')}")
    fields: dict[str, core_schema.TypedDictField] = {}
    for name, field in inner["fields"].items():
        if field.get("serialization_alias") or field.get("serialization_exclude"):
            raise _Unsupported(f"field {name}")
        schema = _plain(field["schema"])
        fields[name] = core_schema.typed_dict_field(
            schema,
            required=schema.get("type") != "default",
            validation_alias=field.get("validation_alias"),
        )
    config = dict(node.get("config") or {})
    if inner.get("extra_behavior"):
        config["extra_fields_behavior"] = inner["extra_behavior"]
    return core_schema.typed_dict_schema(
        fields,
        ref=node.get("ref"),
        config=config or None,  # type: ignore[arg-type]
        extra_behavior=inner.get("extra_behavior"),
    )
