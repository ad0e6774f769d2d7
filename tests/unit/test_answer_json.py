"""gateway.answer_json: the same bytes as the result models, without their objects."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from gateway.answer_json import encoder, plain_encoder
from schemas import all_items, model_examples
from schemas._fields import Money, PositiveMoney, _Money
from schemas._model import Kind, ServiceItem
from schemas.hrss import ContributionResult

ITEMS = all_items()


def _through_the_model(model: type[BaseModel], raw: Any) -> bytes:
    return model.__pydantic_serializer__.to_json(model.model_validate(raw), by_alias=True)


def test_every_query_item_has_a_plain_encoder() -> None:
    missing = [
        i.code for i in ITEMS if i.kind is Kind.query and plain_encoder(i.result_model) is None
    ]
    assert missing == []


@pytest.mark.parametrize(
    "item", [i for i in ITEMS if plain_encoder(i.result_model) is not None], ids=lambda i: i.code
)
def test_examples_encode_to_the_models_bytes(item: ServiceItem) -> None:
    encode = plain_encoder(item.result_model)
    assert encode is not None
    for example in model_examples(item.result_model):
        assert encode(example) == _through_the_model(item.result_model, example)


# The documented example's record: every field, amounts in the usual form.
RECORD: dict[str, Any] = json.loads(json.dumps(model_examples(ContributionResult)[0]))["records"][0]


def _variant(**changes: Any) -> dict[str, Any]:
    record = {**copy.deepcopy(RECORD), **changes}
    return {"records": [{k: v for k, v in record.items() if v is not ...}], "months_paid": 1}


@pytest.mark.parametrize(
    "raw",
    [
        _variant(),
        _variant(employer_name=...),  # an optional field left out: null, as the model writes
        _variant(base=8000, employer_amount=1280.5, personal_amount="0"),  # numbers, zero
        _variant(base="12345678901.99"),
        {"months_paid": 0},  # a default list
        {**_variant(), "unknown": 1},  # extra keys dropped
        {"records": [{**RECORD, "extra": "x"}], "months_paid": 2**70},  # beyond orjson's ints
    ],
)
def test_answers_encode_to_the_models_bytes(raw: dict[str, Any]) -> None:
    encode = plain_encoder(ContributionResult)
    assert encode is not None
    assert encode(raw) == _through_the_model(ContributionResult, raw)


@pytest.mark.parametrize(
    "raw",
    [
        _variant(base="-1.00"),
        _variant(month="202301"),
        _variant(insurance_type="unknown"),
        {"records": "none", "months_paid": -1},
    ],
)
def test_a_refused_answer_is_the_models_refusal(raw: dict[str, Any]) -> None:
    encode = plain_encoder(ContributionResult)
    assert encode is not None
    with pytest.raises(ValidationError) as plain:
        encode(raw)
    with pytest.raises(ValidationError) as model:
        ContributionResult.model_validate(raw)
    assert plain.value.errors() == model.value.errors()


class _Validated(BaseModel):
    a: int

    @model_validator(mode="after")
    def _check(self) -> _Validated:
        return self


class _ValidatedBefore(BaseModel):
    a: int

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        return data


class _FieldChecked(BaseModel):
    a: int
    when: dt.date | None = None

    @field_validator("a")
    @classmethod
    def _double(cls, value: int) -> int:
        return value * 2


def test_field_validators_run_as_in_the_model() -> None:
    encode = plain_encoder(_FieldChecked)
    assert encode is not None
    for raw in ({"a": 2}, {"a": 2, "when": "2024-02-29"}):
        assert encode(raw) == _through_the_model(_FieldChecked, raw)


class _Serialised(BaseModel):
    a: int

    @field_serializer("a")
    def _write(self, value: int) -> str:
        return str(value)


class _Aliased(BaseModel):
    a: int = Field(serialization_alias="b")


class _Timed(BaseModel):
    at: dt.datetime


@pytest.mark.parametrize("model", [_Validated, _ValidatedBefore, _Serialised, _Aliased, _Timed])
def test_what_the_rewrite_does_not_cover_keeps_the_models_way(model: type[BaseModel]) -> None:
    assert plain_encoder(model) is None
    raw = {"a": 1, "at": "2024-01-01T00:00:00Z"}
    assert encoder(model)(raw) == _through_the_model(model, raw)  # the models' way


# Money validated into its JSON text (schemas._fields._Money.text_schema).

_INTEGERS = ["0", "1", "9", "10", "99", "100", "8000", "123456789012", "999999999999"]
_DECIMALS = ["", ".0", ".00", ".01", ".05", ".1", ".10", ".5", ".50", ".99"]
_NOT_TEXT = ["00", "01", "-1", "+1", "1e3", "1E+3", "1.", ".5", "1.000", "1234567890123", " 1"]


def test_money_texts_are_what_pydantic_writes_for_them() -> None:
    texts = [i + d for i in _INTEGERS for d in _DECIMALS]
    for text in texts:
        assert re.fullmatch(_Money.TEXT, text), text
        assert str(Decimal(text)) == text
        positive = re.fullmatch(_Money.POSITIVE_TEXT, text) is not None
        assert positive == (Decimal(text) > 0), text
    for text in _NOT_TEXT:
        assert not re.fullmatch(_Money.TEXT, text)
        assert not re.fullmatch(_Money.POSITIVE_TEXT, text)


class _Amounts(BaseModel):
    any_amount: Money
    paid: PositiveMoney
    maybe: Money | None = None


@pytest.mark.parametrize(
    "value",
    [
        *[i + d for i in _INTEGERS for d in _DECIMALS],
        *_NOT_TEXT,
        0,
        5,
        5.5,
        1280.25,
        -1,
        True,
        None,
        "abc",
    ],
)
def test_amounts_encode_and_refuse_as_the_model_does(value: Any) -> None:
    encode = plain_encoder(_Amounts)
    assert encode is not None
    raw = {"any_amount": value, "paid": value, "maybe": value}
    assert _outcome(encode, raw) == _outcome(lambda r: _through_the_model(_Amounts, r), raw)


def _outcome(encode: Any, raw: Any) -> tuple[str, Any]:
    """("written", bytes) or ("refused", the errors)."""
    try:
        return "written", encode(raw)
    except ValidationError as refused:
        return "refused", refused.errors()
