"""The query answer written around pre-serialised results is the documented answer model."""

from __future__ import annotations

import json
from typing import Any

from gateway.api.queries import encode
from gateway.catalogue import Catalogue
from gateway.problems import Problem
from schemas import model_examples
from schemas._model import ServiceItem

ITEM = "social-insurance-contributions"


def _item() -> ServiceItem:
    item = Catalogue.load().get(ITEM)
    assert item is not None
    return item


def _answers(result: Any) -> list[dict[str, Any]]:
    failed = Problem(
        "upstream-unavailable",
        503,
        "Province unavailable / 省级系统不可用",
        "code X",
        province="510000",
        item=ITEM,
        retry_after=5,
    )
    return [
        {"province": "440000", "province_name": "广东省", "ok": True, "result": result},
        {"province": "510000", "province_name": "四川省", "ok": False, "problem": failed.body()},
    ]


def test_the_encoded_answer_is_the_answer_model_serialised() -> None:
    item = _item()
    example = model_examples(item.result_model)[0]
    result = item.result_model.model_validate(example)
    expected = (
        Catalogue.load()
        .models(ITEM)
        .answer.model_validate({"item": ITEM, "complete": False, "answers": _answers(result)})
    )
    as_json = result.__pydantic_serializer__.to_json(result)  # as dispatch hands it over
    encoded = json.loads(encode(item, False, _answers(as_json)))
    assert encoded == expected.model_dump(mode="json", by_alias=True)
    assert encoded["answers"][0]["result"] == example
    assert encoded["answers"][1]["problem"]["retry_after"] == 5
