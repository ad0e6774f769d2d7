"""A province's answer read, translated and validated in one pass, written as the item's
result JSON.

Translating an answer (``Vocabulary.from_wire``: keys renamed, codes and dates read) builds
a canonical dict in Python, key by key, that ``gateway.answer_json`` then validates against
the item's result model: for a year of contributions (60 records) ~60 µs of translation and
~40 µs of validation and writing. Here the result model's plain schema (``answer_json``) is
rewritten once per vocabulary so that pydantic-core reads the province's own keys (each
field's ``validation_alias``) and a Python function runs only where a value is converted (a
code table, a compact date, read through a cache): ~52 µs for both, against ~101.

The one pass must write exactly what translating then validating writes:

- each field is read under the wire keys ``from_wire`` reads as it (``Vocabulary.spellings``,
  as ``validation_alias`` choices in the same order, so a key spelt twice keeps the same
  value); where the wire's keys are read through a case function, whose spellings cannot
  all be listed, any key the model lacks is refused (``extra="forbid"``);
- a value is passed through ``from_wire``'s own reading of it under its key, unless the
  field's schema takes plain scalars only, where that reading changes strings alone (the
  key's converter, which leaves anything else as it is);
- anything it refuses, or a model it cannot rewrite (nested models by reference, field
  aliases, models ``answer_json`` keeps), goes the exact way: ``from_wire`` then
  ``answer_json.encoder``, whose verdicts and errors stay the only ones.

``tests/unit/test_wire_json.py`` holds it to the exact way over every query item's examples
in every family's vocabulary, and over answers built to make it refuse; the conformance
kit (``tongban adapters check``) counts the sandbox's answers it reads in one pass.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable
from typing import Any

import orjson
from pydantic import BaseModel
from pydantic_core import SchemaValidator, core_schema

from adapters.vocabulary import Vocabulary, WireAnswer
from gateway import answer_json

Decode = Callable[[Any], bytes]

# Schema nodes that accept scalars only (given scalar-only children) and whose verdict on
# a value does not depend on anything but the value: ``from_wire`` changes only strings
# (through the key's converter) among what they accept, and containers it would translate
# they refuse either way.
_SCALAR = frozenset(
    {
        "none", "bool", "int", "float", "str", "date", "decimal", "enum", "literal",
        "nullable", "default", "union", "chain", "function-after",
    }
)  # fmt: skip


class _Unsupported(Exception):
    pass


def decode(answer: WireAnswer, model: type[BaseModel]) -> bytes:
    """``answer`` as ``model``'s JSON, validated (``ValidationError`` when it is not one)."""
    if answer.vocabulary is None:
        return answer_json.encoder(model)(answer.data)
    return decoder(model, answer.vocabulary)(answer.data)


def decoder(model: type[BaseModel], vocabulary: Vocabulary) -> Decode:
    """``wire data → model's JSON`` for one vocabulary, built on first use and kept with it."""
    key = ("wire_json", model)
    found: Decode | None = vocabulary.memo.get(key)
    if found is None:
        found = vocabulary.memo[key] = one_pass(model, vocabulary) or exact(model, vocabulary)
    return found


def exact(model: type[BaseModel], vocabulary: Vocabulary) -> Decode:
    """Translate, then validate and write: what every decoder must equal."""
    encode = answer_json.encoder(model)

    def decode(data: Any) -> bytes:
        return encode(vocabulary.from_wire(data))

    return decode


def one_pass(model: type[BaseModel], vocabulary: Vocabulary) -> OnePass | None:
    """The one-pass decoder (see the module's docstring), or None where it cannot be built."""
    plain = answer_json.plain_schema(model)
    if plain is None:
        return None  # answer_json keeps the model's way: so must this
    try:
        schema = _rewrite(plain, "", vocabulary)
    except _Unsupported:
        return None
    return OnePass(_shared(schema), exact(model, vocabulary))


class Reading:
    """A validator of wire answers, shared by the vocabularies that read a model alike."""

    def __init__(self, schema: Any) -> None:
        self.validator = SchemaValidator(schema)


# Readings by their schema's text: provinces of one family mostly read a model alike (the
# same spellings, the same code tables: ``Vocabulary.converter`` shares one function per
# reading), and each validator holds ~10-20 KB outside Python's heap; all 29 query items in
# all 31 provinces' vocabularies, one each, took 11 MB, shared 1.7 MB. Held weakly: a
# reading no vocabulary uses any more (provinces reconfigured at run time) is freed.
_READINGS: weakref.WeakValueDictionary[bytes, Reading] = weakref.WeakValueDictionary()


def _shared(schema: Any) -> Reading:
    # The text names every function by identity (default reprs), every model by its ref.
    key = hashlib.sha256(repr(schema).encode()).digest()
    reading = _READINGS.get(key)
    if reading is None:
        reading = _READINGS[key] = Reading(schema)
    return reading


class OnePass:
    """One result model's decoder in one vocabulary: in one pass, else the exact way."""

    def __init__(self, reading: Reading, exact: Decode) -> None:
        self.reading = reading  # kept alive by the decoders using it
        self._validate = reading.validator.validate_python
        self._exact = exact

    def __call__(self, data: Any) -> bytes:
        try:
            return orjson.dumps(self._validate(data))
        except (ValueError, TypeError):  # refused, or a value orjson cannot write
            return self._exact(data)  # the exact way's verdict

    def read(self, data: Any) -> bytes | None:
        """``data`` written in one pass, or None where the one pass refuses it."""
        try:
            return orjson.dumps(self._validate(data))
        except (ValueError, TypeError):
            return None


def _rewrite(node: Any, key: str, vocabulary: Vocabulary) -> Any:
    """``node`` (a plain schema, read under canonical ``key``) as it reads wire data."""
    kind = node.get("type")
    if kind == "typed-dict":
        return _typed_dict(node, vocabulary)
    inner = "items_schema" if kind == "list" else "schema"
    if kind in ("list", "nullable", "default") and inner in node:
        return {**node, inner: _rewrite(node[inner], key, vocabulary)}
    if _scalar(node):
        convert = vocabulary.converter(key) if key else None
        if convert is None:
            return node  # from_wire leaves what this accepts as it is
        # Strings converted; anything else unchanged or refused (TypeError): as from_wire
        return core_schema.no_info_before_validator_function(convert, node)
    if _holds_typed_dict(node):
        raise _Unsupported(kind)  # a model inside a union, a reference…: not rewritten
    return core_schema.no_info_before_validator_function(_Read(vocabulary, key or None), node)


def _typed_dict(node: dict[str, Any], vocabulary: Vocabulary) -> Any:
    """Each field read under its spellings, in the order ``from_wire`` ranks them. Where the
    wire's keys are read through a case function, not every spelling can be listed: every
    key the model lacks is then refused."""
    fields: dict[str, Any] = {}
    for name, field in node["fields"].items():
        if field.get("validation_alias") is not None:
            raise _Unsupported(f"field {name} has an alias")
        spellings = vocabulary.spellings(name)
        if not spellings:
            raise _Unsupported(f"no wire key reads as {name}")
        fields[name] = {
            **field,
            "schema": _rewrite(field["schema"], name, vocabulary),
            "validation_alias": spellings[0]
            if len(spellings) == 1
            else [[spelling] for spelling in spellings],
        }
    if vocabulary.canonical_case is str:
        return {**node, "fields": fields}
    config = {**(node.get("config") or {}), "extra_fields_behavior": "forbid"}
    return {**node, "fields": fields, "config": config, "extra_behavior": "forbid"}


def _scalar(node: Any) -> bool:
    if not isinstance(node, dict) or node.get("type") not in _SCALAR:
        return False
    children = [node.get("schema"), *node.get("steps", ()), *node.get("choices", ())]
    return all(
        _scalar(child[0] if isinstance(child, tuple) else child)
        for child in children
        if child is not None
    )


def _holds_typed_dict(node: Any) -> bool:
    if isinstance(node, dict):
        if node.get("type") in ("typed-dict", "definitions", "definition-ref"):
            return True
        return any(_holds_typed_dict(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_holds_typed_dict(value) for value in node)
    return False


class _Read:
    """``vocabulary.from_wire(value, key)``; its repr names it by identity, so validators
    calling it are shared by nothing but this vocabulary (see ``_shared``)."""

    __slots__ = ("key", "vocabulary")

    def __init__(self, vocabulary: Vocabulary, key: str | None) -> None:
        self.vocabulary = vocabulary
        self.key = key

    def __call__(self, value: Any) -> Any:
        return self.vocabulary.from_wire(value, self.key)
