"""Clients, tokens, scopes, signatures, replays, quotas, limits and headers over real HTTP."""

from __future__ import annotations

import asyncio
import base64
import secrets
import time
from collections import Counter
from urllib.parse import quote_plus

import httpx
import pytest

from gateway.signing import canonical, signature
from tests.integration.conftest import Gateway
from tests.integration.test_end_to_end import unemployment


async def _new_client(gateway: Gateway, **body: object) -> dict[str, str]:
    response = await gateway.http.post(
        "/admin/v1/clients", headers=gateway.auth(gateway.admin_key), json={"name": "t", **body}
    )
    assert response.status_code == 201, response.text
    created: dict[str, str] = response.json()
    return created


async def test_token_endpoint_and_scoped_tokens(gateway: Gateway) -> None:
    client = await _new_client(gateway)
    token = await gateway.http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client["id"],
            "client_secret": client["api_key"],
            "scope": "catalogue:read",
        },
    )
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await gateway.http.get("/v1/items", headers=bearer)).status_code == 200
    denied = await gateway.http.post(
        "/v1/items/unemployment-registration/applications",
        headers=bearer,
        json=unemployment("440000"),
    )
    assert denied.status_code == 403  # the token carries only catalogue:read
    assert denied.json()["required_scope"] == "items:unemployment-registration:submit"
    bad = await gateway.http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client["id"],
            "client_secret": "nope-nope",
        },
    )
    assert bad.status_code == 401
    assert bad.json()["error"] == "invalid_client"
    wider = await gateway.http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client["id"],
            "client_secret": client["api_key"],
            "scope": "admin",
        },
    )
    assert wider.json()["error"] == "invalid_scope"
    forged = body["access_token"][:-4] + "AAAA"
    assert (
        await gateway.http.get("/v1/items", headers={"Authorization": f"Bearer {forged}"})
    ).status_code == 401


async def test_scopes_are_per_item_and_action(gateway: Gateway) -> None:
    client = await _new_client(
        gateway, scopes=["catalogue:read", "items:unemployment-registration:submit"]
    )
    auth = {"Authorization": f"Bearer {client['api_key']}"}
    ok = await gateway.http.post(
        "/v1/items/unemployment-registration/applications",
        headers=auth,
        json=unemployment("440000"),
    )
    assert ok.status_code == 202
    other_item = await gateway.http.post(
        "/v1/items/pension-transfer-employee/applications", headers=auth, json={}
    )
    assert other_item.status_code == 403
    reading = await gateway.http.get(f"/v1/applications/{ok.json()['id']}", headers=auth)
    assert reading.status_code == 403  # applications:read was not granted
    admin = await gateway.http.get("/admin/v1/provinces", headers=auth)
    assert admin.status_code == 403


async def test_rotate_and_disable_take_effect(gateway: Gateway) -> None:
    client = await _new_client(gateway)
    admin = gateway.auth(gateway.admin_key)
    old = {"Authorization": f"Bearer {client['api_key']}"}
    assert (await gateway.http.get("/v1/items", headers=old)).status_code == 200
    rotated = (
        await gateway.http.post(f"/admin/v1/clients/{client['id']}/rotate", headers=admin)
    ).json()
    assert (await gateway.http.get("/v1/items", headers=old)).status_code == 401
    new = {"Authorization": f"Bearer {rotated['api_key']}"}
    assert (await gateway.http.get("/v1/items", headers=new)).status_code == 200
    await gateway.http.post(f"/admin/v1/clients/{client['id']}/disable", headers=admin)
    assert (await gateway.http.get("/v1/items", headers=new)).status_code == 401


def _signed_headers(
    key: str,
    client_id: str,
    secret: str,
    path: str,
    body: bytes,
    *,
    stamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    stamp_text = str(stamp or int(time.time()))
    nonce = nonce or secrets.token_urlsafe(18)
    message = canonical("POST", path, "", body, stamp_text, nonce, client_id)
    return {
        "Authorization": f"Bearer {key}",
        "Content-Type": "application/json",
        "X-Tongban-Key-Id": client_id,
        "X-Tongban-Timestamp": stamp_text,
        "X-Tongban-Nonce": nonce,
        "X-Tongban-Signature": signature(secret, message),
    }


async def test_counter_requests_must_be_signed(gateway: Gateway) -> None:
    counter = await _new_client(
        gateway, kind="counter", province="440000", service_point="深圳市福田区政务服务中心"
    )
    path = "/v1/items/unemployment-registration/applications"
    body = httpx.Request("POST", "http://x", json=unemployment("440000")).content
    unsigned = await gateway.http.post(
        path,
        content=body,
        headers={
            "Authorization": f"Bearer {counter['api_key']}",
            "Content-Type": "application/json",
        },
    )
    assert unsigned.status_code == 401
    assert unsigned.json()["type"].endswith("/signature-missing")
    headers = _signed_headers(
        counter["api_key"], counter["id"], counter["signing_secret"], path, body
    )
    tampered = await gateway.http.post(
        path, content=body.replace(b"440000", b"510000"), headers=headers
    )
    assert tampered.json()["type"].endswith("/signature-invalid")
    stale = _signed_headers(
        counter["api_key"],
        counter["id"],
        counter["signing_secret"],
        path,
        body,
        stamp=int(time.time()) - 3600,
    )
    answer = await gateway.http.post(path, content=body, headers=stale)
    assert answer.json()["type"].endswith("/signature-stale")
    # Digits int() refuses or cannot compare were a 500.
    for stamp in ("²".encode(), b"9" * 400, b"9" * 5000):  # "²" as its UTF-8 bytes
        odd = [(k.encode(), v.encode()) for k, v in headers.items() if k != "X-Tongban-Timestamp"]
        odd.append((b"X-Tongban-Timestamp", stamp))
        answer = await gateway.http.post(path, content=body, headers=odd)
        assert answer.status_code == 401, stamp
        assert answer.json()["type"].endswith("/signature-stale"), stamp


async def test_fifty_concurrent_replays_of_one_signed_request(gateway: Gateway) -> None:
    counter = await _new_client(
        gateway, kind="counter", province="440000", service_point="深圳市福田区政务服务中心"
    )
    path = "/v1/items/unemployment-registration/applications"
    body = httpx.Request("POST", "http://x", json=unemployment("440000")).content
    headers = _signed_headers(
        counter["api_key"], counter["id"], counter["signing_secret"], path, body
    )
    answers = await asyncio.gather(
        *(gateway.http.post(path, content=body, headers=headers) for _ in range(50))
    )
    statuses = Counter(a.status_code for a in answers)
    assert statuses[202] == 1, statuses
    assert statuses[401] == 49, statuses
    replayed = [a for a in answers if a.status_code == 401]
    assert all(a.json()["type"].endswith("/signature-replayed") for a in replayed)


async def test_security_headers_and_no_traces(gateway: Gateway) -> None:
    response = await gateway.http.get("/v1/items", headers=gateway.auth())
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert "ratelimit-remaining" in response.headers
    broken = await gateway.http.post(
        "/v1/items/unemployment-registration/applications",
        content=b"\xff\xfe",
        headers={**gateway.auth(), "Content-Type": "application/json"},
    )
    assert broken.status_code in (400, 422)
    assert "Traceback" not in broken.text


@pytest.mark.parametrize("limit", [3])
async def test_rate_limit_is_per_client_with_retry_after(gateway: Gateway, limit: int) -> None:
    client = await _new_client(gateway, rate_per_minute=limit)
    auth = {"Authorization": f"Bearer {client['api_key']}"}
    codes = [
        (await gateway.http.get("/v1/provinces", headers=auth)).status_code
        for _ in range(limit + 1)
    ]
    assert codes == [200] * limit + [429]
    limited = await gateway.http.get("/v1/provinces", headers=auth)
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["ratelimit-remaining"] == "0"
    # Another client is unaffected; spoofed forwarding headers change nothing.
    assert (await gateway.http.get("/v1/provinces", headers=gateway.auth())).status_code == 200
    spoofed = await gateway.http.get(
        "/v1/provinces", headers={**auth, "X-Forwarded-For": "10.9.8.7"}
    )
    assert spoofed.status_code == 429


async def test_request_bodies_refuse_nul_and_unknown_provinces(gateway: Gateway) -> None:
    # NUL reached PostgreSQL (a 503 "retry later" no retry could fix); 990000 passed the
    # pattern as a counter terminal's province.
    admin = gateway.auth(gateway.admin_key)
    for path, method, body, field in (
        ("/admin/v1/clients", "POST", {"name": "a\u0000b"}, "name"),
        ("/admin/v1/clients", "POST", {"name": "t", "kind": "counter", "province": "990000",
                                       "service_point": "x"}, "province"),
        ("/v1/webhook", "PUT", {"url": "https://example.com/\u0000"}, "url"),
    ):  # fmt: skip
        headers = admin if path.startswith("/admin") else gateway.auth()
        response = await gateway.http.request(method, path, headers=headers, json=body)
        assert response.status_code == 422, (path, body)
        assert response.json()["errors"][0]["field"] == field
    case = await gateway.submit("unemployment-registration", unemployment("440000"))
    cancel = await gateway.http.post(
        f"/v1/applications/{case.json()['id']}/cancel",
        headers=gateway.auth(),
        json={"reason": "a\u0000b"},
    )
    assert cancel.status_code == 422
    assert cancel.json()["errors"][0]["field"] == "reason"


def _basic(client_id: str, secret: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


async def test_the_token_endpoint_takes_http_basic_and_speaks_rfc_6749(gateway: Gateway) -> None:
    client = await _new_client(gateway)
    grant = {"grant_type": "client_credentials"}
    basic = await gateway.http.post(
        "/oauth/token", data=grant, headers=_basic(client["id"], client["api_key"])
    )
    assert basic.status_code == 200, basic.text
    assert basic.headers["cache-control"] == "no-store"
    # The id repeated in the form beside Basic, as some libraries send it, is accepted.
    repeated = await gateway.http.post(
        "/oauth/token",
        data={**grant, "client_id": client["id"]},
        headers=_basic(client["id"], client["api_key"]),
    )
    assert repeated.status_code == 200, repeated.text
    wrong = await gateway.http.post(
        "/oauth/token", data=grant, headers=_basic(client["id"], "nope-nope")
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"] == 'Basic realm="tongban"'
    garbled = await gateway.http.post(
        "/oauth/token", data=grant, headers={"Authorization": "Basic !!!"}
    )
    assert garbled.status_code == 401
    assert garbled.json()["error"] == "invalid_client"
    refusals = {
        "missing: client_id, client_secret": ({}, {}),
        "missing: grant_type": ({"grant_type": ""}, _basic(client["id"], client["api_key"])),
        "authenticate one way: Basic or the form": (
            {"client_secret": client["api_key"]},
            _basic(client["id"], client["api_key"]),
        ),
        "too long: scope": (
            {"client_id": client["id"], "client_secret": client["api_key"], "scope": "x" * 2001},
            {},
        ),
        "client authentication is HTTP Basic or the form": (
            {"client_id": client["id"], "client_secret": client["api_key"]},
            {"Authorization": f"Bearer {client['api_key']}"},
        ),
    }
    for description, (form, headers) in refusals.items():
        refused = await gateway.http.post("/oauth/token", data={**grant, **form}, headers=headers)
        assert refused.status_code == 400, (description, refused.text)
        assert refused.json() == {"error": "invalid_request", "error_description": description}
