"""rest_oauth: OAuth2 client credentials, bearer checks, ping, unknown provinces."""

from __future__ import annotations

import asyncio
import base64

import httpx

GD = "/440000"
CREDS = {"client_id": "tongban-gd", "client_secret": "gd-sandbox-secret"}
GRANT = {"grant_type": "client_credentials", **CREDS}


async def test_token_issued_with_form_credentials(rest: httpx.AsyncClient) -> None:
    answer = await rest.post(f"{GD}/oauth/token", data=GRANT)
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert len(body["access_token"]) >= 32
    assert answer.headers["cache-control"] == "no-store"


async def test_token_issued_with_http_basic(rest: httpx.AsyncClient) -> None:
    answer = await rest.post(
        f"{GD}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("tongban-gd", "gd-sandbox-secret"),
    )
    assert answer.status_code == 200
    assert answer.json()["access_token"]


async def test_token_refused_for_wrong_secret(rest: httpx.AsyncClient) -> None:
    answers = [
        await rest.post(f"{GD}/oauth/token", data={**GRANT, "client_secret": "nope"}),
        await rest.post(f"{GD}/oauth/token", data={**GRANT, "client_id": "tongban-sc"}),
        await rest.post(
            f"{GD}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("tongban-gd", "nope"),
        ),
        await rest.post(f"{GD}/oauth/token", data={"grant_type": "client_credentials"}),
    ]
    for answer in answers:
        assert answer.status_code == 401
        assert answer.json() == {"error": "invalid_client"}
    garbled = {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}
    answer = await rest.post(
        f"{GD}/oauth/token", data={"grant_type": "client_credentials"}, headers=garbled
    )
    assert answer.status_code == 401


async def test_token_refused_for_other_grant(rest: httpx.AsyncClient) -> None:
    answer = await rest.post(f"{GD}/oauth/token", data={"grant_type": "password", **CREDS})
    assert answer.status_code == 400
    assert answer.json() == {"error": "unsupported_grant_type"}


async def test_calls_without_valid_token_answer_4010(rest: httpx.AsyncClient) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic x"}):
        answer = await rest.get(f"{GD}/api/v1/bj/GD2026010100001", headers=headers)
        assert answer.status_code == 401
        assert answer.json()["code"] == "4010"
        assert answer.json()["data"] is None


async def test_token_expires_and_a_new_one_works(rest: httpx.AsyncClient) -> None:
    (await rest.put("/_sandbox/config", json={"token_ttl_seconds": 1})).raise_for_status()
    answer = await rest.post(f"{GD}/oauth/token", data=GRANT)
    assert answer.json()["expires_in"] == 1
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    lookup = {"cxtj": {"cxr": {"xm": "张三", "sfzh": "440105199001011234"}}}
    ok = await rest.post(f"{GD}/api/v1/cx/440000-RS-0101", json=lookup, headers=headers)
    assert ok.json()["code"] == "0000"
    await asyncio.sleep(1.1)
    expired = await rest.post(f"{GD}/api/v1/cx/440000-RS-0101", json=lookup, headers=headers)
    assert expired.status_code == 401
    assert expired.json()["code"] == "4010"
    fresh = await rest.post(f"{GD}/oauth/token", data=GRANT)
    headers = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
    again = await rest.post(f"{GD}/api/v1/cx/440000-RS-0101", json=lookup, headers=headers)
    assert again.json()["code"] == "0000"


async def test_reset_revokes_tokens(rest: httpx.AsyncClient, gd_auth: dict[str, str]) -> None:
    (await rest.post("/_sandbox/reset")).raise_for_status()
    answer = await rest.get(f"{GD}/api/v1/bj/GD2026010100001", headers=gd_auth)
    assert answer.status_code == 401


async def test_ping_needs_no_token(rest: httpx.AsyncClient) -> None:
    answer = await rest.get(f"{GD}/api/v1/ping")
    assert answer.status_code == 200
    assert answer.json() == {"code": "0000", "msg": "pong"}


async def test_unknown_province_is_404(rest: httpx.AsyncClient) -> None:
    assert (await rest.get("/510000/api/v1/ping")).status_code == 404
    answer = await rest.post(
        "/999999/oauth/token", data={"grant_type": "client_credentials", **CREDS}
    )
    assert answer.status_code == 404
