"""Idempotency-Key on submissions: replay, reuse, concurrency."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from tests.integration.conftest import Gateway
from tests.integration.test_end_to_end import unemployment

ITEM = "unemployment-registration"


async def _post(
    gateway: Gateway, key: str, body: dict[str, object]
) -> tuple[int, dict[str, Any], dict[str, str]]:
    response = await gateway.http.post(
        f"/v1/items/{ITEM}/applications",
        json=body,
        headers={**gateway.auth(), "Idempotency-Key": key},
    )
    return response.status_code, response.json(), dict(response.headers)


async def test_same_key_and_body_replays_the_first_answer(gateway: Gateway) -> None:
    status, first, _ = await _post(gateway, "k-replay", unemployment("440000"))
    assert status == 202
    status, again, headers = await _post(gateway, "k-replay", unemployment("440000"))
    assert status == 202
    assert again == first
    assert headers["idempotent-replayed"] == "true"
    assert headers["location"] == first["location"]


async def test_same_key_other_body_is_422(gateway: Gateway) -> None:
    await _post(gateway, "k-reuse", unemployment("440000"))
    status, problem, _ = await _post(gateway, "k-reuse", unemployment("510000"))
    assert status == 422
    assert problem["type"].endswith("/idempotency-key-reused")


async def test_keys_are_scoped_per_client(gateway: Gateway) -> None:
    _, mine, _ = await _post(gateway, "k-shared", unemployment("440000"))
    other = await gateway.http.post(
        f"/v1/items/{ITEM}/applications",
        json=unemployment("440000"),
        headers={**gateway.auth(gateway.other_key), "Idempotency-Key": "k-shared"},
    )
    assert other.status_code == 202
    assert other.json()["id"] != mine["id"]


async def test_fifty_parallel_submissions_with_one_key_open_one_case(gateway: Gateway) -> None:
    body = unemployment("440000")
    results = await asyncio.gather(*(_post(gateway, "k-burst", body) for _ in range(50)))
    statuses = Counter(status for status, _, _ in results)
    ids = {answer["id"] for status, answer, _ in results if status == 202}
    assert len(ids) == 1, ids
    assert set(statuses) <= {202, 409}, statuses
    for status, answer, headers in results:
        if status == 409:
            assert answer["type"].endswith("/idempotency-in-flight")
            assert headers["retry-after"] == "1"
    listed = await gateway.http.get(
        "/v1/applications", headers=gateway.auth(), params={"item": ITEM}
    )
    assert listed.json()["total"] == 1
