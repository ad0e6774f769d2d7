"""gateway.wire_json: a province's answer read in one pass writes what translating it, then
validating it, writes; and whatever the one pass refuses gets the exact way's verdict."""

from __future__ import annotations

import copy
import gc
import importlib
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from adapters.vocabulary import Vocabulary, WireAnswer
from gateway import answer_json, wire_json
from gateway.registry import load_province_files
from schemas import all_items, model_examples
from schemas._model import Kind
from schemas.hrss import ContributionResult

PROVINCES = load_province_files(Path(__file__).parents[2] / "adapters" / "provinces")
QUERIES = [i for i in all_items() if i.kind is Kind.query]
EXACT = wire_json.exact  # the exact way itself, whatever a test counts


def _vocabulary(family: str) -> Vocabulary:
    config = next(c for c in PROVINCES if c.family == family)
    translate = importlib.import_module(f"adapters.{family}.translate")
    vocabulary: Vocabulary = translate.vocabulary(config)
    return vocabulary


FAMILIES = sorted({c.family for c in PROVINCES})
VOCABULARIES = {family: _vocabulary(family) for family in FAMILIES}


def _as_sent(vocabulary: Vocabulary, value: Any, key: str | None = None) -> Any:
    """A canonical answer as a province sends it: each key as the one pass reads it
    (the first of ``Vocabulary.spellings``), codes and dates as ``to_wire`` writes them."""
    if isinstance(value, dict):
        return {_wire_key(vocabulary, k): _as_sent(vocabulary, v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_sent(vocabulary, v, key) for v in value]
    return vocabulary.to_wire(value, key)


def _wire_key(vocabulary: Vocabulary, canonical: str) -> str:
    spellings = vocabulary.spellings(canonical)
    assert spellings, canonical
    return spellings[0]  # the key a province is expected to send


def _outcome(decode: Callable[[Any], bytes], data: Any) -> bytes | tuple[str, int]:
    """The bytes written, or the error: its type and how many errors it names."""
    try:
        return decode(data)
    except ValidationError as exc:
        return ("ValidationError", exc.error_count())
    except (ValueError, TypeError) as exc:
        return (type(exc).__name__, 0)


@pytest.fixture
def fallbacks(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The answers a one-pass decoder built under it hands to the exact way."""
    handed: list[Any] = []
    exact = wire_json.exact

    def counting(model: type[BaseModel], vocabulary: Vocabulary) -> Callable[[Any], bytes]:
        decode = exact(model, vocabulary)

        def counted(data: Any) -> bytes:
            handed.append(data)
            return decode(data)

        return counted

    monkeypatch.setattr(wire_json, "exact", counting)
    return handed


@pytest.mark.parametrize("family", FAMILIES)
def test_every_query_items_examples_decode_in_one_pass_as_exactly(
    family: str, fallbacks: list[Any]
) -> None:
    vocabulary = VOCABULARIES[family]
    checked = 0
    for item in QUERIES:
        decode = wire_json.one_pass(item.result_model, vocabulary)
        assert decode is not None, item.code
        exact = EXACT(item.result_model, vocabulary)
        for example in model_examples(item.result_model):
            wire = _as_sent(vocabulary, example)
            assert decode(wire) == exact(wire) == answer_json.encoder(item.result_model)(example)
            checked += 1
    assert checked >= len(QUERIES)
    assert fallbacks == []  # every one in one pass


def test_each_province_decodes_the_contributions_example_in_one_pass(
    fallbacks: list[Any],
) -> None:
    example = model_examples(ContributionResult)[0]
    expected = answer_json.encoder(ContributionResult)(example)
    for config in PROVINCES:
        translate = importlib.import_module(f"adapters.{config.family}.translate")
        vocabulary: Vocabulary = translate.vocabulary(config)
        wire = _as_sent(vocabulary, example)
        assert wire_json.decoder(ContributionResult, vocabulary)(wire) == expected, config.code
    assert fallbacks == []


def _wire(family: str) -> tuple[Vocabulary, dict[str, Any]]:
    vocabulary = VOCABULARIES[family]
    return vocabulary, _as_sent(vocabulary, model_examples(ContributionResult)[0])


def _mutations(vocabulary: Vocabulary, wire: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    records = _wire_key(vocabulary, "records")
    month = _wire_key(vocabulary, "month")
    kind = _wire_key(vocabulary, "insurance_type")
    base = _wire_key(vocabulary, "base")
    paid = _wire_key(vocabulary, "months_paid")

    def record(**changes: Any) -> dict[str, Any]:
        answer = copy.deepcopy(wire)
        first = answer[records][0]
        for key, value in changes.items():
            if value is ...:
                first.pop(key, None)
            else:
                first[key] = value
        return answer

    yield "as sent", copy.deepcopy(wire)
    yield "canonical name beside the wire key", {**wire, "months_paid": 7}
    yield (
        "canonical name instead of the wire key",
        {"months_paid" if k == paid else k: v for k, v in wire.items()},
    )
    yield "the record's month spelt twice", record(month="209901")
    yield "a key no model field has", {**wire, "zzz_unknown": [1, {"a": "b"}]}
    yield "a record key no model field has", record(zzz_unknown="x")
    yield (
        "the wire key in another case",
        {(k.swapcase() if k == paid else k): v for k, v in wire.items()},
    )
    yield "month as a number", record(**{month: 202401})
    yield "month as a dict", record(**{month: {"a": "202401"}})
    yield "month as a list", record(**{month: ["202401"]})
    yield "month in ISO form already", record(**{month: "2024-01"})
    yield "month not a month", record(**{month: "2024"})
    yield "month missing", record(**{month: ...})
    yield "month null", record(**{month: None})
    yield "insurance type not in the code table", record(**{kind: "999"})
    yield "insurance type canonical already", record(**{kind: "pension"})
    yield "insurance type as a list", record(**{kind: ["110"]})
    yield "insurance type as a number", record(**{kind: 110})
    yield "amount as a number", record(**{base: 8000})
    yield "amount as a float", record(**{base: 8000.5})
    yield "amount negative", record(**{base: "-1.00"})
    yield "amount as a dict", record(**{base: {"value": "1"}})
    yield "records not a list", {**wire, records: {"0": wire[records][0]}}
    yield "records null", {**wire, records: None}
    yield "months paid as text", {**wire, paid: "12"}
    yield "months paid as a bool", {**wire, paid: True}
    yield "not an object", [wire]
    yield "empty", {}


@pytest.mark.parametrize("family", FAMILIES)
def test_answers_it_refuses_get_the_exact_ways_verdict(family: str) -> None:
    vocabulary, wire = _wire(family)
    decode = wire_json.one_pass(ContributionResult, vocabulary)
    assert decode is not None
    exact = EXACT(ContributionResult, vocabulary)
    for name, data in _mutations(vocabulary, wire):
        assert _outcome(decode, copy.deepcopy(data)) == _outcome(exact, data), name


def test_a_field_spelt_twice_is_read_in_one_pass_as_translating_reads_it(
    fallbacks: list[Any],
) -> None:
    vocabulary, wire = _wire("rest_oauth")
    paid = _wire_key(vocabulary, "months_paid")
    assert vocabulary.spellings("months_paid") == (paid, "months_paid")
    decode = wire_json.decoder(ContributionResult, vocabulary)
    # The first ranked spelling wins, wherever it stands in the answer.
    for answer in ({**wire, "months_paid": 7}, {"months_paid": 7, **wire}):
        assert decode(answer) == EXACT(ContributionResult, vocabulary)(answer)
        assert b'"months_paid":1' in decode(answer)
    assert fallbacks == []


def test_a_converter_leaves_what_is_not_a_string() -> None:
    # The one pass hands a converted field's value to its converter whatever its type:
    # from_wire converts strings only, so converters must leave everything else (or refuse
    # it, as a code table refuses a list).
    for vocabulary in VOCABULARIES.values():
        for key in ("month", "insurance_type", "valid_until", "decided_on"):
            convert = vocabulary.converter(key)
            assert convert is not None, key
            values: list[Any] = [202401, 20240101, 1.5, True, None, {"a": 1}]
            for value in values:
                try:
                    read = convert(value)
                    assert (read, type(read)) == (value, type(value)), (key, value)
                except TypeError:
                    assert isinstance(value, dict)


def test_a_canonical_answer_is_validated_as_it_is() -> None:
    example = model_examples(ContributionResult)[0]
    expected = answer_json.encoder(ContributionResult)(example)
    assert wire_json.decode(WireAnswer(example), ContributionResult) == expected


def test_decoders_are_built_once_per_vocabulary_and_model() -> None:
    vocabulary = VOCABULARIES["rest_oauth"]
    first = wire_json.decoder(ContributionResult, vocabulary)
    assert wire_json.decoder(ContributionResult, vocabulary) is first


class _Nested(BaseModel):
    month: str


class _ByReference(BaseModel):
    inner: _Nested | None = None
    others: list[_ByReference] = []


def test_a_model_it_cannot_rewrite_goes_the_exact_way() -> None:
    vocabulary = VOCABULARIES["rest_oauth"]
    assert wire_json.one_pass(_ByReference, vocabulary) is None  # a model by reference
    decode = wire_json.decoder(_ByReference, vocabulary)
    assert decode({"inner": {"ny": "202401"}}) == b'{"inner":{"month":"2024-01"},"others":[]}'


def test_vocabularies_reading_a_model_alike_share_its_validator() -> None:
    config = next(c for c in PROVINCES if c.family == "rest_oauth")
    translate = importlib.import_module("adapters.rest_oauth.translate")
    one, two = translate.vocabulary(config), translate.vocabulary(config)
    assert one is not two
    first = wire_json.one_pass(ContributionResult, one)
    again = wire_json.one_pass(ContributionResult, two)
    assert first is not None
    assert again is not None
    assert first.reading is again.reading
    # Another code for one insurance type: another reading, another validator.
    tables = {"insurance_type": {**one.code_tables["insurance_type"], "pension": "119"}}
    other = Vocabulary(one.outbound, one.inbound, {**one.code_tables, **tables})
    differs = wire_json.one_pass(ContributionResult, other)
    assert differs is not None
    assert differs.reading is not first.reading
    example = model_examples(ContributionResult)[0]
    for vocabulary, decode in ((one, first), (other, differs)):
        wire = _as_sent(vocabulary, example)
        assert decode.read(wire) == answer_json.encoder(ContributionResult)(example)


def test_a_reading_no_vocabulary_uses_is_freed() -> None:
    config = next(c for c in PROVINCES if c.family == "rest_oauth")
    base = importlib.import_module("adapters.rest_oauth.translate").vocabulary(config)
    tables = {"insurance_type": {**base.code_tables["insurance_type"], "pension": "118"}}
    vocabulary = Vocabulary(base.outbound, base.inbound, {**base.code_tables, **tables})
    decode = wire_json.decoder(ContributionResult, vocabulary)
    assert isinstance(decode, wire_json.OnePass)
    reading = weakref.ref(decode.reading)
    assert any(held is reading() for held in wire_json._READINGS.values())
    del decode, vocabulary
    gc.collect()  # the vocabulary and its decoders hold each other
    assert reading() is None
