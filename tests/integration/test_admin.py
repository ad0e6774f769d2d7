"""Ops register, change, enable and disable provinces while the gateway runs."""

from __future__ import annotations

import tomllib
from typing import Any

from gateway.settings import Settings
from tests.conftest import Sandboxes
from tests.integration.conftest import Gateway
from tests.integration.test_end_to_end import unemployment


def _registration(code: str, url: str) -> dict[str, Any]:
    path = Settings(environment="test").provinces_dir / f"{code}.toml"
    raw = tomllib.loads(path.read_text())
    raw.pop("code")
    raw["base_url"] = url
    return raw


async def test_admin_api_needs_admin_credentials(gateway: Gateway) -> None:
    assert (await gateway.http.get("/admin/v1/provinces")).status_code == 401
    denied = await gateway.http.get("/admin/v1/provinces", headers=gateway.auth())
    assert denied.status_code == 403
    allowed = await gateway.http.get("/admin/v1/provinces", headers=gateway.auth(gateway.admin_key))
    assert allowed.status_code == 200
    assert all("client_secret" not in str(p) or p["credential_keys"] for p in allowed.json())
    assert "sandbox-secret" not in allowed.text


async def test_disable_and_enable_take_effect_at_once(gateway: Gateway) -> None:
    admin = gateway.auth(gateway.admin_key)
    off = await gateway.http.post("/admin/v1/provinces/440000/disable", headers=admin)
    assert off.status_code == 200
    assert off.json()["enabled"] is False
    assert off.json()["source"] == "database"
    refused = await gateway.submit("unemployment-registration", unemployment("440000"))
    assert refused.status_code == 409
    assert refused.json()["counter_available"] is True
    on = await gateway.http.post("/admin/v1/provinces/440000/enable", headers=admin)
    assert on.json()["enabled"] is True
    accepted = await gateway.submit("unemployment-registration", unemployment("440000"))
    assert accepted.status_code == 202


async def test_registering_a_province_serves_it_at_once(
    gateway: Gateway, fresh_sandboxes: Sandboxes
) -> None:
    """Re-register Sichuan with one item fewer, then again complete: coverage follows."""
    admin = gateway.auth(gateway.admin_key)
    body = _registration("510000", fresh_sandboxes.overrides()["510000"])
    body["items"].pop("unemployment-registration")
    changed = await gateway.http.put("/admin/v1/provinces/510000", headers=admin, json=body)
    assert changed.status_code == 200, changed.text
    assert changed.json()["healthy"] is True
    refused = await gateway.submit("unemployment-registration", unemployment("510000"))
    assert refused.status_code == 409
    listed = await gateway.http.get(
        "/v1/items", headers=gateway.auth(), params={"province": "510000", "limit": 200}
    )
    assert "unemployment-registration" not in {i["code"] for i in listed.json()["items"]}

    body = _registration("510000", fresh_sandboxes.overrides()["510000"])
    again = await gateway.http.put("/admin/v1/provinces/510000", headers=admin, json=body)
    assert again.json()["version"] == 2
    response = await gateway.submit("unemployment-registration", unemployment("510000"))
    assert response.status_code == 202
    case = await gateway.wait_terminal(response.json()["id"])
    assert case["status"] == "completed"


async def test_bad_registrations_are_refused_and_change_nothing(
    gateway: Gateway, fresh_sandboxes: Sandboxes
) -> None:
    admin = gateway.auth(gateway.admin_key)
    body = _registration("440000", fresh_sandboxes.overrides()["440000"])
    cases = [
        ({**body, "family": "carrier_pigeon"}, "province-configuration", None),
        ({**body, "credentials": {"client_id": "x"}}, "province-configuration", None),
        # The gateway's own secret, sent to a base URL of the admin's choosing:
        (
            {**body, "credentials": {k: "env:TONGBAN_SECRET_KEY" for k in body["credentials"]}},
            "province-configuration",
            None,
        ),
        (
            {**body, "items": {"no-such-item": {"local_code": "X"}}},
            "validation",
            "items.no-such-item",
        ),
        ({**body, "base_url": "file:///etc/passwd"}, "validation", "base_url"),
    ]
    for bad, problem, field in cases:
        response = await gateway.http.put("/admin/v1/provinces/440000", headers=admin, json=bad)
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["type"].endswith(problem)
        if field is not None:  # named by its own field, the input not echoed back
            assert response.json()["errors"][0]["field"] == field, response.text
            assert "/etc/passwd" not in response.text
    unknown = await gateway.http.put("/admin/v1/provinces/999999", headers=admin, json=body)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "path.code"
    state = await gateway.http.get("/admin/v1/provinces/440000", headers=admin)
    assert state.json()["source"] == "file"  # nothing was stored


async def test_conformance_kit_over_the_admin_api(gateway: Gateway) -> None:
    report = await gateway.http.post(
        "/admin/v1/provinces/510000/check", headers=gateway.auth(gateway.admin_key)
    )
    assert report.status_code == 200
    body = report.json()
    assert body["passed"] is True, body
    assert {c["name"] for c in body["checks"]} >= {"ping", "submit+status", "auth", "encoding"}
