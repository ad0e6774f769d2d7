"""Bad input gets a problem naming the field, never a 500, and nothing is stored."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Gateway
from tests.integration.test_end_to_end import pension


async def test_missing_key_is_401_problem(gateway: Gateway) -> None:
    response = await gateway.http.get("/v1/items")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "/" in response.json()["title"]  # bilingual
    bad = await gateway.http.get("/v1/items", headers={"Authorization": "Bearer tbk_nope"})
    assert bad.status_code == 401


async def test_health_needs_no_key(gateway: Gateway) -> None:
    assert (await gateway.http.get("/healthz")).status_code == 200
    ready = await gateway.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id_number", "110105194912310021", "data.applicant.id_number"),
        ("phone", "12345", "data.applicant.phone"),
    ],
)
async def test_invalid_identifier_names_the_field(
    gateway: Gateway, field: str, value: str, expected: str
) -> None:
    body = pension()
    body["data"]["applicant"] = {**body["data"]["applicant"], field: value}
    response = await gateway.submit("pension-transfer-employee", body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/validation")
    assert [e["field"] for e in problem["errors"]] == [expected]
    assert value not in response.text  # the input is never echoed


async def test_credit_code_and_province_are_checked(gateway: Gateway) -> None:
    body = pension()
    body["data"]["destination_employer_credit_code"] = "91110000600037341X"
    body["data"]["origin_province"] = "999999"
    response = await gateway.submit("pension-transfer-employee", body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"data.destination_employer_credit_code", "data.origin_province"}


async def test_same_origin_and_destination_is_rejected(gateway: Gateway) -> None:
    response = await gateway.submit("pension-transfer-employee", pension("440000", "440000"))
    assert response.status_code == 422
    # A check across fields names each field it concerns, not the object holding them.
    assert {e["field"] for e in response.json()["errors"]} == {
        "data.origin_province",
        "data.destination_province",
    }


async def test_checks_across_a_query_s_fields_name_them(gateway: Gateway) -> None:
    person = {"name": "张三", "id_number": "11010519491231002X"}
    for body, fields in (
        ({"person": person, "provinces": ["440000", "440000"]}, {"provinces"}),
        (
            {"person": person, "provinces": ["440000"], "from_month": "2024-05",
             "to_month": "2024-01"},
            {"from_month", "to_month"},
        ),
    ):  # fmt: skip
        response = await gateway.http.post(
            "/v1/items/social-insurance-contributions/queries", headers=gateway.auth(), json=body
        )
        assert response.status_code == 422
        assert {e["field"] for e in response.json()["errors"]} == fields


async def test_unknown_field_and_mode_are_rejected(gateway: Gateway) -> None:
    body = pension()
    body["data"]["surprise"] = 1
    assert (await gateway.submit("pension-transfer-employee", body)).status_code == 422
    body = pension()
    body["mode"] = "teleport"
    response = await gateway.submit("pension-transfer-employee", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "mode"


async def test_malformed_json_is_422_not_500(gateway: Gateway) -> None:
    response = await gateway.http.post(
        "/v1/items/pension-transfer-employee/applications",
        content=b"{not json",
        headers={**gateway.auth(), "Content-Type": "application/json"},
    )
    assert response.status_code == 422


async def test_unserved_province_is_a_clear_problem(gateway: Gateway) -> None:
    provinces = (await gateway.http.get("/v1/provinces", headers=gateway.auth())).json()
    serving = {p["code"]: set(p["items"]) for p in provinces["provinces"]}
    item, province = next(
        (code, p)
        for code in (
            "student-status-verification",
            "hukou-certificate",
            "diploma-verification",
            "marriage-registration",
        )
        for p, items in serving.items()
        if code not in items
    )
    detail = (await gateway.http.get(f"/v1/items/{item}", headers=gateway.auth())).json()
    field = next(r["field"] for r in detail["roles"])
    example = detail["request_schema"]["examples"][0]
    body = {**example, field: [province] if isinstance(example[field], list) else province}
    action = "queries" if detail["kind"] == "query" else "applications"
    payload = body if action == "queries" else {"mode": detail["modes"][0], "data": body}
    response = await gateway.http.post(
        f"/v1/items/{item}/{action}", json=payload, headers=gateway.auth()
    )
    problem = response.json()
    if action == "queries":  # one province asked, and it cannot answer
        assert response.status_code == 409, problem
    else:
        assert response.status_code == 409, problem
        assert problem["unserved"] == [province]
    assert province not in problem["served_by"]
    assert problem["served_by"]
    assert problem["province"] == province


async def test_unknown_item_and_case_are_404(gateway: Gateway) -> None:
    assert (await gateway.http.get("/v1/items/nope", headers=gateway.auth())).status_code == 404
    response = await gateway.http.post(
        "/v1/items/nope/applications", json={}, headers=gateway.auth()
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    missing = await gateway.http.get("/v1/applications/x", headers=gateway.auth())
    assert missing.status_code == 404


async def test_a_malformed_form_is_a_bilingual_400(gateway: Gateway) -> None:
    response = await gateway.http.post(
        "/oauth/token", content=b"x", headers={"Content-Type": "multipart/form-data"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/bad-request")
    assert body["title"] == "Malformed request / 请求格式错误"  # was "HTTP 400"
