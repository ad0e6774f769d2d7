"""The published OpenAPI document: current, valid 3.1, one typed operation per item."""

from __future__ import annotations

import json

from openapi_spec_validator import validate

from gateway.openapi import document, render
from gateway.settings import REPO_ROOT
from schemas import all_items
from schemas._model import Kind

EXPORTED = REPO_ROOT / "openapi" / "openapi.json"


def test_exported_document_is_current() -> None:
    assert EXPORTED.read_text() == render(), (
        "openapi/openapi.json is stale: run `make openapi` and commit the result"
    )


def test_document_is_valid_openapi_31() -> None:
    spec = document()
    assert spec["openapi"].startswith("3.1")
    validate(json.loads(json.dumps(spec)))


def test_every_item_has_its_typed_operation() -> None:
    spec = document()
    operations = {
        op["operationId"]: (path, op)
        for path, methods in spec["paths"].items()
        for op in methods.values()
    }
    for item in all_items():
        path, op = operations[item.operation_id]
        action = "queries" if item.kind is Kind.query else "applications"
        assert path == f"/v1/items/{item.code}/{action}"
        body = op["requestBody"]["content"]["application/json"]["schema"]
        assert "$ref" in body  # a named, typed schema, never a free-form object
        success = "200" if item.kind is Kind.query else "202"
        assert "$ref" in op["responses"][success]["content"]["application/json"]["schema"]
        for status in ("401", "409", "422", "429", "502", "503", "504"):
            assert status in op["responses"], (item.code, status)
