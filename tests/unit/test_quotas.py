"""Rate limits in memory: the limit, the refusal's headers, and the window's edge."""

from __future__ import annotations

import time

import pytest

from gateway.problems import Problem
from gateway.quotas import Quotas


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """``time.time()`` under the test's control, starting at the start of a minute."""
    now = [1_800_000_000.0 - 1_800_000_000 % 3600]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


async def _allowed(quotas: Quotas, client: str, tries: int) -> int:
    statuses = []
    for _ in range(tries):
        try:
            await quotas.client(client)
        except Problem as problem:
            statuses.append(problem.status)
        else:
            statuses.append(200)
    assert set(statuses) <= {200, 429}
    return statuses.count(200)


async def test_a_client_gets_its_limit_then_a_429_with_retry_after(clock: list[float]) -> None:
    quotas = Quotas(None, per_minute=5, applicant_per_hour=1)
    remaining = [(await quotas.client("c1")).remaining for _ in range(5)]
    assert remaining == [4, 3, 2, 1, 0]
    with pytest.raises(Problem) as refused:
        await quotas.client("c1")
    assert refused.value.status == 429
    headers = refused.value.headers or {}
    assert int(headers["Retry-After"]) >= 1
    assert headers["RateLimit-Limit"] == "5"
    assert headers["RateLimit-Remaining"] == "0"
    assert (await quotas.client("c2")).remaining == 4  # another client: its own count


async def test_the_previous_minute_still_counts_at_the_window_edge(clock: list[float]) -> None:
    # A sliding window counter: just after a minute's boundary, the previous minute's hits
    # still weigh almost fully, so no client gets twice its limit around the boundary.
    quotas = Quotas(None, per_minute=10, applicant_per_hour=1)
    assert await _allowed(quotas, "c1", 10) == 10
    clock[0] += 61  # one second into the next minute: 59/60 of the last 10 still count
    assert await _allowed(quotas, "c1", 10) <= 1
    clock[0] += 30  # half of that minute has passed: about half of the last 10 still count
    assert 3 <= await _allowed(quotas, "c1", 10) <= 6
    clock[0] += 120  # two quiet minutes later: a full limit again
    assert await _allowed(quotas, "c1", 12) == 10


async def test_an_applicant_is_limited_per_hour(clock: list[float]) -> None:
    quotas = Quotas(None, per_minute=100, applicant_per_hour=2)
    await quotas.applicant("digest-1")
    await quotas.applicant("digest-1")
    with pytest.raises(Problem) as refused:
        await quotas.applicant("digest-1")
    assert "an hour" in refused.value.detail
    clock[0] += 3 * 3600
    assert (await quotas.applicant("digest-1")).remaining == 1
