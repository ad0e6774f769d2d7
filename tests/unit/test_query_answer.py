"""The query answer written around pre-serialised results is the documented answer model."""

from __future__ import annotations

import json
from typing import Any

from gateway.api.queries import encode
from gateway.catalogue import Catalogue
from gateway.problems import Problem

ITEM = "social-insurance-contributions"
RESULT = {
    "records": [
        {
            "month": "2023-01",
            "insurance_type": "pension",
            "base": "8000.00",
            "employer_amount": "1280.00",
            "personal_amount": "640.00",
            "employer_name": "广州市某某科技有限公司",
        }
    ],
    "months_paid": 1,
}


def _answers() -> list[dict[str, Any]]:
    item = Catalogue.load().get(ITEM)
    assert item is not None
    result = item.result_model.model_validate(RESULT)
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
        {
            "province": "440000",
            "province_name": "广东省",
            "ok": True,
            "result": result,
        },
        {"province": "510000", "province_name": "四川省", "ok": False, "problem": failed.body()},
    ]


def test_the_encoded_answer_is_the_answer_model_serialised() -> None:
    catalogue = Catalogue.load()
    item = catalogue.get(ITEM)
    assert item is not None
    answers = _answers()
    expected = catalogue.models(ITEM).answer.model_validate(
        {"item": ITEM, "complete": False, "answers": answers}
    )
    as_json = [
        {**a, "result": a["result"].__pydantic_serializer__.to_json(a["result"])} if a["ok"] else a
        for a in answers
    ]
    encoded = encode(item, False, as_json)
    assert json.loads(encoded) == expected.model_dump(mode="json", by_alias=True)
    assert json.loads(encoded)["answers"][1]["problem"]["retry_after"] == 5
    assert json.loads(encoded)["answers"][0]["result"]["records"][0]["base"] == "8000.00"
