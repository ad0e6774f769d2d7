"""How the outbox treats a failed delivery: what counts as an attempt, what is sent again."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.errors import (
    AdapterError,
    CircuitOpen,
    ProvinceOverloaded,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from gateway.outbox import Worker
from gateway.settings import Settings
from gateway.store.tables import Case, Event, Leg, Outbox
from gateway.transitions import SUBMIT, SUPPLEMENT

NOW = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
GD = "440000"


class Session:
    def __init__(self) -> None:
        self.added: list[Any] = []

    def add(self, row: Any) -> None:
        self.added.append(row)


def _worker() -> Worker:
    settings = Settings(environment="test", retry_base_seconds=1.0, retry_max_seconds=60.0)
    return Worker(settings, None, None, None, None)  # type: ignore[arg-type]


def _fail(action: str, error: AdapterError, attempts: int = 1) -> tuple[Outbox, list[Any]]:
    case, leg = Case(id="c1"), Leg(id="l1", case_id="c1", province=GD)
    entry = Outbox(case_id="c1", leg_id="l1", action=action, attempts=attempts, done=False)
    session = Session()
    _worker()._failed_attempt(
        cast(AsyncSession, session),
        case,
        leg,
        entry,
        error,
        NOW,
    )
    return entry, session.added


def test_a_call_never_sent_uses_no_attempt_and_waits_as_told() -> None:
    for error in (
        CircuitOpen("open", province=GD, retry_after=14),
        ProvinceOverloaded("busy", province=GD, retry_after=3),
    ):
        entry, _ = _fail(SUBMIT, error, attempts=2)
        assert entry.attempts == 1  # the claim counted it; it was never sent
        assert not entry.done
        assert entry.due_at is not None
        assert (entry.due_at - NOW).total_seconds() >= error.retry_after


def test_a_correction_that_timed_out_is_not_sent_again() -> None:
    entry, added = _fail(SUPPLEMENT, UpstreamTimeout("no answer", province=GD))
    assert entry.done
    assert [e.kind for e in added if isinstance(e, Event)] == ["supplement_unconfirmed"]


def test_an_unavailable_province_is_retried_with_backoff() -> None:
    entry, _ = _fail(SUPPLEMENT, UpstreamUnavailable("HTTP 503", province=GD))
    assert not entry.done
    assert entry.attempts == 1
    assert entry.due_at is not None
    assert 0 < (entry.due_at - NOW).total_seconds() <= 1.0
