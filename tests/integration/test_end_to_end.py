"""Three items travel client → gateway → adapter → sandbox province and back, over HTTP."""

from __future__ import annotations

from typing import Any

from tests.conftest import Sandboxes
from tests.integration.conftest import Gateway

APPLICANT = {"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}


def pension(origin: str = "510000", destination: str = "440000") -> dict[str, Any]:
    return {
        "mode": "joint",
        "data": {
            "applicant": dict(APPLICANT),
            "origin_province": origin,
            "destination_province": destination,
            "destination_employer": "广州市某某科技有限公司",
            "insured_since": "2015-07",
        },
    }


def unemployment(province: str) -> dict[str, Any]:
    return {
        "mode": "online",
        "data": {
            "applicant": dict(APPLICANT),
            "competent_province": province,
            "residence_address": "广东省广州市天河区体育西路1号",
            "unemployment_date": "2024-03-01",
            "reason": "contract-ended",
        },
    }


async def test_pension_transfer_joint_reaches_completed(gateway: Gateway) -> None:
    response = await gateway.submit("pension-transfer-employee", pension())
    assert response.status_code == 202, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/applications/{body['id']}"
    assert body["status"] == "submitted"

    case = await gateway.wait_terminal(body["id"])
    assert case["status"] == "completed"
    legs = {leg["role"]: leg for leg in case["legs"]}
    assert legs["destination"]["province"] == "440000"
    assert legs["origin"]["province"] == "510000"
    assert legs["destination"]["reference"].startswith("GD")
    assert legs["origin"]["reference"].startswith("SC")
    assert all(leg["status"] == "approved" for leg in case["legs"])
    # The destination (step 0) was handed over before the origin (step 1).
    assert legs["destination"]["submitted_at"] < legs["origin"]["submitted_at"]
    assert case["result"]["decision_number"]
    assert case["result"]["transferred_months"] >= 0
    assert case["applicant"]["id_number"] == "110105********002X"
    kinds = [e["kind"] for e in case["events"]]
    assert kinds.count("delivered") == 2
    assert case["events"][-1]["status"] == "completed"


async def test_unemployment_registration_on_both_families(gateway: Gateway) -> None:
    for province in ("440000", "510000"):
        response = await gateway.submit("unemployment-registration", unemployment(province))
        assert response.status_code == 202, response.text
        case = await gateway.wait_terminal(response.json()["id"])
        assert case["status"] == "completed", case
        assert len(case["legs"]) == 1
        assert case["result"]["registration_number"]
        assert case["result"]["decided_on"]


async def test_refused_first_step_rejects_case_and_never_sends_the_second(
    gateway: Gateway, fresh_sandboxes: Sandboxes
) -> None:
    await fresh_sandboxes.configure(
        province="440000",
        outcomes={"approved": 0.0, "correction": 0.0, "rejected": 0.0, "not_accepted": 1.0},
    )
    response = await gateway.submit("pension-transfer-employee", pension())
    case = await gateway.wait_terminal(response.json()["id"])
    assert case["status"] == "rejected"
    legs = {leg["role"]: leg for leg in case["legs"]}
    assert legs["destination"]["status"] == "rejected"
    assert legs["destination"]["provincial_status"] == "4"
    assert legs["origin"]["status"] == "cancelled"
    assert legs["origin"]["reference"] is None
    stats = await fresh_sandboxes.stats()
    assert stats["soap"]["cases"] == 0


async def test_refused_pivot_after_first_step_rejects_case(
    gateway: Gateway, fresh_sandboxes: Sandboxes
) -> None:
    await fresh_sandboxes.configure(
        province="510000",
        outcomes={"approved": 0.0, "correction": 0.0, "rejected": 1.0, "not_accepted": 0.0},
    )
    response = await gateway.submit("pension-transfer-employee", pension())
    case = await gateway.wait_terminal(response.json()["id"])
    assert case["status"] == "rejected"
    legs = {leg["role"]: leg for leg in case["legs"]}
    assert legs["origin"]["provincial_status"] == "41"


async def test_contribution_query_fans_out_to_both_families(gateway: Gateway) -> None:
    response = await gateway.http.post(
        "/v1/items/social-insurance-contributions/queries",
        headers=gateway.auth(),
        json={
            "person": {"name": "张三", "id_number": "11010519491231002X"},
            "provinces": ["440000", "510000"],
            "from_month": "2020-01",
            "to_month": "2020-06",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["complete"] is True
    assert [a["province"] for a in body["answers"]] == ["440000", "510000"]
    for answer in body["answers"]:
        assert answer["ok"] is True
        for record in answer["result"]["records"]:
            assert "2020-01" <= record["month"] <= "2020-06"
            assert record["insurance_type"] in {
                "pension",
                "unemployment",
                "medical",
                "work-injury",
                "maternity",
            }


async def test_query_names_the_failing_province(
    gateway: Gateway, fresh_sandboxes: Sandboxes
) -> None:
    await fresh_sandboxes.configure(province="510000", error_rate=1.0)
    body = {
        "person": {"name": "张三", "id_number": "11010519491231002X"},
        "provinces": ["440000", "510000"],
    }
    response = await gateway.http.post(
        "/v1/items/social-insurance-contributions/queries", headers=gateway.auth(), json=body
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["complete"] is False
    failed = answer["answers"][1]
    assert failed["ok"] is False
    assert failed["problem"]["province"] == "510000"
    assert failed["problem"]["status"] == 503

    only_failing = await gateway.http.post(
        "/v1/items/social-insurance-contributions/queries",
        headers=gateway.auth(),
        json={**body, "provinces": ["510000"]},
    )
    assert only_failing.status_code == 503
    assert only_failing.headers["content-type"] == "application/problem+json"
    assert only_failing.json()["province"] == "510000"


async def test_catalogue_lists_items_with_schemas(gateway: Gateway) -> None:
    response = await gateway.http.get("/v1/items", headers=gateway.auth())
    assert response.status_code == 200
    body = response.json()
    codes = {item["code"] for item in body["items"]}
    assert {
        "social-insurance-contributions",
        "unemployment-registration",
        "pension-transfer-employee",
    } <= codes
    assert body["total"] >= 3
    detail = (
        await gateway.http.get("/v1/items/pension-transfer-employee", headers=gateway.auth())
    ).json()
    assert detail["batch"] == 2020
    assert detail["kind"] == "application"
    assert set(detail["modes"]) == {"online", "counter", "joint"}
    assert {r["name"] for r in detail["roles"]} == {"origin", "destination"}
    assert detail["request_schema"]["examples"]
    assert detail["result_schema"]["properties"]["decision_number"]


async def test_provinces_are_listed_healthy(gateway: Gateway) -> None:
    body = (await gateway.http.get("/v1/provinces", headers=gateway.auth())).json()
    assert body["total"] == 31
    families = {p["family"] for p in body["provinces"]}
    assert families == {"rest_oauth", "soap_gbk", "form_sm3", "batch_callback"}
    assert all(p["enabled"] for p in body["provinces"])
    by_code = {p["code"]: p for p in body["provinces"]}
    assert by_code["440000"]["family"] == "rest_oauth"
    assert by_code["510000"]["family"] == "soap_gbk"


async def test_other_clients_case_is_not_found(gateway: Gateway) -> None:
    response = await gateway.submit("unemployment-registration", unemployment("440000"))
    case_id = response.json()["id"]
    other = await gateway.http.get(
        f"/v1/applications/{case_id}", headers=gateway.auth(gateway.other_key)
    )
    assert other.status_code == 404
    assert other.json()["type"].endswith("/not-found")
