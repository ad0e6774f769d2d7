"""After submission: corrections (补正), cancellation, counter receipts, deadlines."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

from sqlalchemy import update

from gateway.store.db import make_engine
from gateway.store.tables import Case
from tests.conftest import Sandboxes
from tests.integration.conftest import Gateway
from tests.integration.test_end_to_end import APPLICANT, pension, unemployment

COUNTER: dict[str, Any] = {
    "receiving_province": "440000",
    "service_point": "广州市天河区政务服务中心 3号窗口",
    "staff_id": "GZTH-0312",
    "identity_check": {"method": "id-card-reader", "passed": True},
    "materials": [{"code": "id-card", "trust_level": "B", "original_checked": True}],
    "result_delivery": {"method": "post", "address": "广东省广州市天河区体育西路1号"},
}


async def test_correction_round_trip(gateway: Gateway, fresh_sandboxes: Sandboxes) -> None:
    await fresh_sandboxes.configure(
        province="440000", outcomes={"correction": 1.0}, correction_wait_steps=400
    )
    response = await gateway.submit("unemployment-registration", unemployment("440000"))
    case_id = response.json()["id"]
    case = await gateway.wait_status(case_id, {"correction_requested"})
    assert case["legs"][0]["provincial_status"] == "6"
    early = await gateway.http.post(
        f"/v1/applications/{case_id}/corrections",
        headers=gateway.auth(),
        json={"changes": {"applicant": {"phone": "1"}}},
    )
    assert early.status_code == 422  # the corrected application must still validate
    # A correction fixes the application: it cannot make it another person's, nor send it
    # to another province (the legs, the lookup digest and the masked name derive from them).
    for changes, field in (
        ({"applicant": {"id_number": "110101199003074477"}}, "changes"),
        ({"competent_province": "110000"}, "changes.competent_province"),
    ):
        refused = await gateway.http.post(
            f"/v1/applications/{case_id}/corrections",
            headers=gateway.auth(),
            json={"changes": changes},
        )
        assert refused.status_code == 422, changes
        assert refused.json()["errors"][0]["field"] == field
    fixed = await gateway.http.post(
        f"/v1/applications/{case_id}/corrections",
        headers=gateway.auth(),
        json={"changes": {"applicant": {"phone": "13900139000"}}, "note": "新电话"},
    )
    assert fixed.status_code == 200, fixed.text
    case = await gateway.wait_terminal(case_id)
    assert case["status"] == "completed"
    assert "correction_supplied" in [e["kind"] for e in case["events"]]


async def test_correction_without_request_is_409(gateway: Gateway) -> None:
    response = await gateway.submit("unemployment-registration", unemployment("440000"))
    answer = await gateway.http.post(
        f"/v1/applications/{response.json()['id']}/corrections",
        headers=gateway.auth(),
        json={"changes": {}},
    )
    assert answer.status_code == 409


async def test_cancel_before_the_pivot_withdraws(
    gateway: Gateway, fresh_sandboxes: Sandboxes
) -> None:
    await fresh_sandboxes.configure(step_seconds=5.0)  # slow: the case is still open
    response = await gateway.submit("pension-transfer-employee", pension())
    case_id = response.json()["id"]
    await gateway.wait_status(case_id, {"received", "accepted"})
    cancelled = await gateway.http.post(
        f"/v1/applications/{case_id}/cancel", headers=gateway.auth(), json={"reason": "不办了"}
    )
    assert cancelled.status_code == 200, cancelled.text
    case = await gateway.case(case_id)
    assert case["status"] == "cancelled"
    deadline = dt.datetime.now() + dt.timedelta(seconds=10)
    while dt.datetime.now() < deadline:
        case = await gateway.case(case_id)
        if all(leg["status"] == "cancelled" for leg in case["legs"]):
            break
        await asyncio.sleep(0.05)
    legs = {leg["role"]: leg for leg in case["legs"]}
    assert legs["destination"]["status"] == "cancelled"
    assert legs["destination"]["provincial_status"] == "13"  # the province withdrew it
    assert legs["origin"]["reference"] is None  # never sent
    again = await gateway.http.post(
        f"/v1/applications/{case_id}/cancel", headers=gateway.auth(), json={}
    )
    assert again.status_code == 409


async def test_counter_mode_needs_a_counter_terminal_and_a_receipt(gateway: Gateway) -> None:
    body = {**unemployment("510000"), "mode": "counter", "counter": COUNTER}
    as_app = await gateway.submit("unemployment-registration", body)
    assert as_app.status_code == 403
    missing = await gateway.counter.post(
        "/v1/items/unemployment-registration/applications",
        json={**unemployment("510000"), "mode": "counter"},
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "counter"


async def test_counter_materials_are_checked(gateway: Gateway) -> None:
    weak = {**COUNTER, "materials": [{"code": "id-card", "trust_level": "C"}]}
    response = await gateway.counter.post(
        "/v1/items/unemployment-registration/applications",
        json={**unemployment("510000"), "mode": "counter", "counter": weak},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"counter.materials.0.trust_level", "counter.materials.0.original_checked"}
    # A second, strong entry for the same material hid the weak first one.
    hidden = {
        **COUNTER,
        "materials": [
            {"code": "id-card", "trust_level": "D", "original_checked": False},
            {"code": "id-card", "trust_level": "A"},
        ],
    }
    response = await gateway.counter.post(
        "/v1/items/unemployment-registration/applications",
        json={**unemployment("510000"), "mode": "counter", "counter": hidden},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "counter.materials.1.code" in fields
    assert "counter.materials.0.original_checked" in fields


async def test_a_counter_receives_only_in_its_own_province(gateway: Gateway) -> None:
    elsewhere = {**COUNTER, "receiving_province": "650000"}  # the terminal is bound to 440000
    response = await gateway.counter.post(
        "/v1/items/unemployment-registration/applications",
        json={**unemployment("510000"), "mode": "counter", "counter": elsewhere},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "counter.receiving_province"


async def test_counter_case_with_posted_result(gateway: Gateway) -> None:
    counter = gateway.counter
    response = await counter.post(
        "/v1/items/unemployment-registration/applications",
        json={**unemployment("510000"), "mode": "counter", "counter": COUNTER},
    )
    assert response.status_code == 202, response.text
    case_id = response.json()["id"]
    deadline = time.monotonic() + 20
    while True:
        case = (await counter.get(f"/v1/applications/{case_id}")).json()
        if case["status"] == "approved" or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    assert case["status"] == "approved"  # decided; the paper result is still to be posted
    assert case["channel"] == "counter"
    assert case["counter"]["receiving_province"] == "440000"
    assert case["legs"][0]["province"] == "510000"  # competence does not move
    assert case["delivery"]["status"] == "ready"
    assert "received_at_counter" in [e["kind"] for e in case["events"]]
    early = await gateway.http.post(
        f"/v1/applications/{case_id}/delivery", headers=gateway.auth(), json={"step": "delivered"}
    )
    assert early.status_code in (403, 404)  # only the receiving counter reports delivery
    posted = await counter.post(
        f"/v1/applications/{case_id}/delivery",
        json={"step": "dispatched", "carrier": "EMS", "tracking_number": "EA123456789CN"},
    )
    assert posted.status_code == 200, posted.text
    done = await counter.post(f"/v1/applications/{case_id}/delivery", json={"step": "delivered"})
    assert done.json()["status"] == "delivered"
    case = (await counter.get(f"/v1/applications/{case_id}")).json()
    assert case["status"] == "completed"


async def test_deadlines_and_overdue_listing(gateway: Gateway) -> None:
    response = await gateway.submit("unemployment-registration", unemployment("440000"))
    case_id = response.json()["id"]
    case = await gateway.case(case_id)
    assert case["promised"]["due"] is not None or case["deadline_note"]
    listed = await gateway.http.get(
        "/v1/applications", headers=gateway.auth(), params={"overdue": "true"}
    )
    assert listed.json()["total"] == 0
    engine = make_engine(gateway.database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                update(Case)
                .where(Case.id == case_id)
                .values(promised_due=dt.date(2024, 1, 2), status="in_review")
            )
    finally:
        await engine.dispose()
    listed = await gateway.http.get(
        "/v1/applications", headers=gateway.auth(), params={"overdue": "true"}
    )
    body = listed.json()
    assert body["total"] == 1
    assert body["items"][0]["promised"]["state"] == "overdue"


async def test_applicant_is_masked_in_every_listing(gateway: Gateway) -> None:
    await gateway.submit("unemployment-registration", unemployment("440000"))
    listed = await gateway.http.get("/v1/applications", headers=gateway.auth())
    assert APPLICANT["id_number"] not in listed.text
    assert APPLICANT["phone"] not in listed.text
