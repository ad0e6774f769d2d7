"""Breaker, bulkhead, retry budget and retries of gateway.resilience, on a fake clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import httpx
import pytest
import structlog

from adapters import transport
from adapters.base import (
    CallbackReceiver,
    LegState,
    ProvinceAdapter,
    ProvinceConfig,
    SubmitRequest,
)
from adapters.errors import (
    CircuitOpen,
    ProvinceOverloaded,
    UpstreamFailure,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from adapters.vocabulary import Vocabulary, WireAnswer
from gateway import metrics
from gateway.registry import Registry
from gateway.resilience import (
    BACKSTOP_SECONDS,
    CircuitBreaker,
    Guards,
    Policy,
    ProvinceGuard,
    ResilientAdapter,
    ResilientCallbackAdapter,
    RetryBudget,
    State,
    guarded,
    outcome_of,
)
from gateway.upstream import problem_for
from schemas._status import CaseStatus

GD = "440000"
ITEM = "social-insurance-contributions"
FAST = Policy(retry_wait_initial=0.0, retry_wait_max=0.0, retry_wait_jitter=0.0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def unavailable() -> UpstreamUnavailable:
    return UpstreamUnavailable("HTTP 500", province=GD)


class Script:
    """An adapter operation answering from a script: an exception to raise, or a value."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls = 0

    async def __call__(self, *args: Any) -> Any:
        self.calls += 1
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


def state_of(breaker: CircuitBreaker) -> State:
    return breaker.state  # (a call, so that mypy does not narrow across transitions)


def guard(policy: Policy = FAST, clock: Clock | None = None, **kw: Any) -> ProvinceGuard:
    return ProvinceGuard(GD, policy, clock=clock or Clock(), **kw)


async def call(g: ProvinceGuard, fn: Script, *, op: str = "query", idem: bool = True) -> Any:
    return await g.call(op, "social-insurance-contributions", idem, 5.0, fn)


# -- breaker ---------------------------------------------------------------------------------


def test_breaker_opens_on_consecutive_failures_then_probes_once() -> None:
    clock = Clock()
    changes: list[tuple[str, State]] = []
    breaker = CircuitBreaker(
        GD,
        Policy(failure_threshold=3, open_seconds=10),
        clock=clock,
        on_change=lambda p, s, _r: changes.append((p, s)),
    )
    for _ in range(2):
        assert breaker.acquire() is False
        breaker.failure(False, "UpstreamUnavailable")
    assert state_of(breaker) is State.closed
    breaker.success(False)  # a success resets the run
    for _ in range(3):
        breaker.acquire()
        breaker.failure(False, "UpstreamTimeout")
    assert state_of(breaker) is State.open
    with pytest.raises(CircuitOpen) as caught:
        breaker.acquire()
    assert caught.value.province == GD
    assert 9.9 < caught.value.retry_after <= 10
    clock.now += 10
    assert breaker.acquire() is True  # the probe
    assert state_of(breaker) is State.half_open
    with pytest.raises(CircuitOpen):
        breaker.acquire()  # one probe at a time
    breaker.failure(True, "UpstreamTimeout")
    assert state_of(breaker) is State.open
    clock.now += 10
    assert breaker.acquire() is True
    breaker.success(True)
    assert state_of(breaker) is State.closed
    assert breaker.acquire() is False
    assert changes == [
        (GD, State.open),
        (GD, State.half_open),
        (GD, State.open),
        (GD, State.half_open),
        (GD, State.closed),
    ]


def test_breaker_opens_on_failure_rate_in_the_window() -> None:
    clock = Clock()
    policy = Policy(failure_threshold=100, failure_rate=0.5, min_calls=10, window_seconds=10)
    breaker = CircuitBreaker(GD, policy, clock=clock)
    for i in range(9):  # alternate: never 2 failures in a row; 4 of 9 failing
        breaker.acquire()
        if i % 2:
            breaker.failure(False, "x")
        else:
            breaker.success(False)
    assert state_of(breaker) is State.closed
    breaker.acquire()
    breaker.failure(False, "x")  # 5 of 10
    assert state_of(breaker) is State.open
    assert "5 of 10" in breaker.reason


def test_breaker_forgets_failures_outside_the_window() -> None:
    clock = Clock()
    policy = Policy(failure_threshold=100, failure_rate=0.5, min_calls=6, window_seconds=5)
    breaker = CircuitBreaker(GD, policy, clock=clock)
    for _ in range(5):
        breaker.failure(False, "x")  # fewer calls than min_calls
    clock.now += 6  # the old calls leave the window
    breaker.failure(False, "x")
    assert state_of(breaker) is State.closed
    stale = CircuitBreaker(GD, policy, clock=clock)
    for _ in range(6):
        stale.failure(False, "x")
    assert state_of(stale) is State.open


def test_a_lost_probe_frees_the_slot() -> None:
    clock = Clock()
    breaker = CircuitBreaker(GD, Policy(failure_threshold=1, open_seconds=1), clock=clock)
    breaker.failure(False, "x")
    clock.now += 1
    assert breaker.acquire() is True
    breaker.release(True)  # e.g. the caller was cancelled
    assert breaker.acquire() is True


# -- retry budget ------------------------------------------------------------------------------


def test_retry_budget_caps_retries_at_a_fifth_of_calls_plus_reserve() -> None:
    budget = RetryBudget(ratio=0.2, reserve=5)
    retries = 0
    for _ in range(1000):
        budget.deposit()
        if budget.withdraw():
            retries += 1
    assert retries <= 0.2 * 1000 + 5
    assert retries >= 0.2 * 1000 - 1


# -- the guard -----------------------------------------------------------------------------------


async def test_success_and_business_errors_keep_the_breaker_closed() -> None:
    g = guard(Policy(failure_threshold=1))
    assert await call(g, Script({"ok": 1})) == {"ok": 1}
    with pytest.raises(UpstreamRejected):
        await call(g, Script(UpstreamRejected("refused", province=GD)))
    assert state_of(g.breaker) is State.closed


async def test_idempotent_calls_retry_unavailable_and_succeed() -> None:
    g = guard()
    fn = Script(unavailable(), unavailable(), {"ok": 1})
    assert await call(g, fn) == {"ok": 1}
    assert fn.calls == 3


async def test_retries_stop_at_the_attempt_limit() -> None:
    g = guard(Policy(retry_attempts=3, failure_threshold=99, retry_wait_initial=0))
    fn = Script(unavailable())
    with pytest.raises(UpstreamUnavailable):
        await call(g, fn)
    assert fn.calls == 3


@pytest.mark.parametrize("op", ["withdraw", "supplement"])
async def test_non_idempotent_calls_are_not_retried(op: str) -> None:
    g = guard()
    fn = Script(unavailable(), {"ok": 1})
    with pytest.raises(UpstreamUnavailable):
        await call(g, fn, op=op, idem=False)
    assert fn.calls == 1


@pytest.mark.parametrize(
    "error",
    [
        UpstreamTimeout("slow", province=GD),
        UpstreamProtocolError("garbled", province=GD),
        UpstreamRejected("no", province=GD),
    ],
)
async def test_only_unavailable_is_retried(error: Exception) -> None:
    g = guard()
    fn = Script(error, {"ok": 1})
    with pytest.raises(type(error)):
        await call(g, fn)
    assert fn.calls == 1


async def test_retry_budget_limits_retries_across_calls() -> None:
    g = guard(
        Policy(
            failure_threshold=10_000,
            min_calls=10_000,
            retry_budget_reserve=2,
            retry_budget_ratio=0.2,
            retry_wait_initial=0,
            retry_wait_max=0,
            retry_wait_jitter=0,
        )
    )
    fn = Script(unavailable())
    for _ in range(50):
        with pytest.raises(UpstreamUnavailable):
            await call(g, fn)
    retries = fn.calls - 50
    assert retries <= 2 + 0.2 * 50


async def test_open_breaker_answers_at_once_without_calling() -> None:
    clock = Clock()
    g = guard(Policy(failure_threshold=2, open_seconds=30, retry_attempts=1), clock)
    fn = Script(unavailable())
    for _ in range(2):
        with pytest.raises(UpstreamUnavailable):
            await call(g, fn)
    assert state_of(g.breaker) is State.open
    with pytest.raises(CircuitOpen) as caught:
        await call(g, fn)
    assert fn.calls == 2
    problem = problem_for(caught.value, "social-insurance-contributions")
    assert problem.status == 503
    assert problem.slug == "circuit-open"
    assert problem.extensions["province"] == GD
    assert problem.headers["Retry-After"] == "30"
    assert GD in problem.detail


def test_a_503_says_when_to_retry_in_its_body_too() -> None:
    # A query of one province answers with its one failure, rebuilt from the problem's body:
    # without ``retry_after`` there, that answer lost its Retry-After header.
    problem = problem_for(unavailable(), "social-insurance-contributions")
    assert problem.headers["Retry-After"] == "30"
    assert problem.extensions["retry_after"] == 30


async def test_breaker_opening_mid_retries_stops_them() -> None:
    g = guard(Policy(failure_threshold=2, retry_attempts=5, retry_wait_initial=0))
    fn = Script(unavailable())
    with pytest.raises(UpstreamUnavailable):
        await call(g, fn)
    assert fn.calls == 2
    assert state_of(g.breaker) is State.open


async def test_bulkhead_refuses_excess_calls_at_once() -> None:
    g = guard(Policy(max_concurrency=2))
    gate = asyncio.Event()

    async def slow(*_: Any) -> dict[str, int]:
        await gate.wait()
        return {"ok": 1}

    held = [asyncio.ensure_future(g.call("query", "x", True, 5.0, slow)) for _ in range(2)]
    await asyncio.sleep(0)
    assert g.in_flight == 2
    with pytest.raises(ProvinceOverloaded) as caught:
        await g.call("query", "x", True, 5.0, slow)
    problem = problem_for(caught.value)
    assert (problem.status, problem.slug, problem.extensions["province"]) == (
        503,
        "province-overloaded",
        GD,
    )
    assert "Retry-After" in problem.headers
    gate.set()
    assert await asyncio.gather(*held) == [{"ok": 1}, {"ok": 1}]
    assert g.in_flight == 0


async def test_cancelled_probe_does_not_wedge_the_breaker() -> None:
    clock = Clock()
    g = guard(Policy(failure_threshold=1, open_seconds=1, retry_attempts=1), clock)
    with pytest.raises(UpstreamUnavailable):
        await call(g, Script(unavailable()))
    clock.now += 1

    async def hang(*_: Any) -> None:
        await asyncio.Event().wait()

    probe = asyncio.ensure_future(g.call("ping", "-", True, 5.0, hang))
    await asyncio.sleep(0)
    probe.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probe
    assert await call(g, Script({"ok": 1})) == {"ok": 1}
    assert state_of(g.breaker) is State.closed


async def test_outcomes_are_counted_by_province_and_item() -> None:
    g = guard()
    before = _sample("tongban_upstream_requests_total", outcome="rejected")
    with pytest.raises(UpstreamRejected):
        await call(g, Script(UpstreamRejected("no", province=GD)))
    assert _sample("tongban_upstream_requests_total", outcome="rejected") == before + 1


def _sample(name: str, **labels: str) -> float:
    wanted = {"province": GD, "item": "social-insurance-contributions", **labels}
    for family in metrics.REGISTRY.collect():
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in wanted.items()):
                return float(sample.value)
    return 0.0


def test_outcome_labels() -> None:
    assert outcome_of(None) == "ok"
    assert outcome_of(CircuitOpen("x", province=GD, retry_after=1)) == "circuit_open"
    assert outcome_of(UpstreamTimeout("x", province=GD)) == "timeout"
    assert outcome_of(KeyError("x")) == "error"
    assert outcome_of(asyncio.CancelledError()) == "cancelled"
    assert issubclass(CircuitOpen, UpstreamFailure)  # the outbox reschedules these
    assert CircuitOpen("x", province=GD, retry_after=1).retryable


# -- wrapping adapters -------------------------------------------------------------------------


class FakeAdapter:
    def __init__(self, config: ProvinceConfig) -> None:
        self.config = config
        self.seen: list[str] = []

    async def submit(self, request: SubmitRequest) -> LegState:
        self.seen.append("submit")
        return LegState(reference="R1", status=CaseStatus.submitted, provincial_code="1")

    async def status(self, item: str, reference: str) -> LegState:
        self.seen.append("status")
        raise UpstreamUnavailable("HTTP 502", province=self.config.code)

    async def supplement(self, item: str, reference: str, data: dict[str, Any]) -> LegState:
        raise NotImplementedError

    async def withdraw(self, item: str, reference: str) -> LegState:
        self.seen.append("withdraw")
        raise UpstreamUnavailable("HTTP 502", province=self.config.code)

    async def query(self, item: str, conditions: dict[str, Any]) -> dict[str, Any]:
        return {"months_paid": 0}

    async def ping(self) -> None:
        return None


class FakeCallbackAdapter(FakeAdapter):
    async def subscribe(self, callback_url: str) -> None:
        self.seen.append("subscribe")

    def verify_callback(self, headers: Any, body: bytes) -> LegState:
        return LegState(reference="R1", status=CaseStatus.accepted, provincial_code="2")


def _config(code: str = GD) -> ProvinceConfig:
    return ProvinceConfig(code=code, family="fake", base_url="http://127.0.0.1:1")


async def test_adapters_are_wrapped_and_keep_their_kind() -> None:
    plain = guarded(FakeAdapter(_config()), guard())
    assert type(plain) is ResilientAdapter
    assert not isinstance(plain, CallbackReceiver)
    inner = FakeCallbackAdapter(_config())
    wrapped = guarded(inner, guard())
    assert isinstance(wrapped, ResilientCallbackAdapter)
    assert isinstance(wrapped, CallbackReceiver)
    await wrapped.subscribe("http://127.0.0.1/cb")
    assert wrapped.verify_callback({}, b"").reference == "R1"
    state = await wrapped.submit(SubmitRequest(item="x", serial="S1", data={}))
    assert state.reference == "R1"
    with pytest.raises(UpstreamUnavailable):
        await wrapped.status("x", "R1")
    with pytest.raises(UpstreamUnavailable):
        await wrapped.withdraw("x", "R1")
    assert inner.seen.count("status") == 3  # retried (default 3 attempts)
    assert inner.seen.count("withdraw") == 1  # never retried


class FakeWireAdapter(FakeAdapter):
    async def query_wire(self, item: str, conditions: dict[str, Any]) -> WireAnswer:
        self.seen.append("query_wire")
        return WireAnswer({"jfys": 3}, VOCABULARY)


VOCABULARY = Vocabulary({"months_paid": "jfys"}, {"jfys": "months_paid"})


async def test_answers_in_the_provinces_terms_pass_the_guard_too() -> None:
    item = "social-insurance-contributions"
    before = _sample("tongban_upstream_requests_total", operation="query", outcome="ok")
    # An adapter that can hand its answer over as the province sent it…
    inner = FakeWireAdapter(_config())
    answer = await guarded(inner, guard()).query_wire(item, {})
    assert (answer.vocabulary, answer.canonical()) == (VOCABULARY, {"months_paid": 3})
    assert inner.seen == ["query_wire"]
    # …and one that cannot: its canonical answer, as it is.
    answer = await guarded(FakeAdapter(_config()), guard()).query_wire(item, {})
    assert (answer.vocabulary, answer.canonical()) == (None, {"months_paid": 0})
    after = _sample("tongban_upstream_requests_total", operation="query", outcome="ok")
    assert after == before + 2


class FakeFamily:
    name = "fake"
    description = "test"
    required_credentials: tuple[str, ...] = ()
    status_codes: Mapping[str, CaseStatus] = MappingProxyType({})

    def bind(self, config: ProvinceConfig, http: httpx.AsyncClient) -> ProvinceAdapter:
        return FakeAdapter(config)


def _one_province_registry() -> Registry:
    """GD on the fake family; its breaker opens on the first failure, for a minute."""
    registry = Registry(
        families={"fake": FakeFamily()},
        http=None,  # type: ignore[arg-type]
        policy=Policy(failure_threshold=1, open_seconds=60, retry_attempts=1),
    )
    registry.install(_config())
    return registry


async def test_registry_wraps_and_an_open_breaker_marks_the_province_unhealthy() -> None:
    registry = _one_province_registry()
    adapter = registry.adapter(GD)
    assert isinstance(adapter, ResilientAdapter)
    assert registry.health[GD].healthy
    with pytest.raises(UpstreamUnavailable):
        await adapter.status("x", "R1")
    assert not registry.health[GD].healthy
    assert "circuit open" in (registry.health[GD].error or "")
    # Rebinding the same endpoint keeps the breaker; a new endpoint starts afresh.
    registry.install(_config())
    assert registry.guards.states()[GD] is State.open
    registry.install(_config().model_copy(update={"base_url": "http://127.0.0.1:2"}))
    assert registry.guards.states()[GD] is State.closed


def test_the_registry_warns_once_when_the_bulkheads_outgrow_the_shared_pool() -> None:
    registry = Registry(
        families={"fake": FakeFamily()},
        http=None,  # type: ignore[arg-type]
        policy=Policy(max_concurrency=4),
        pool_cap=8,
    )
    with structlog.testing.capture_logs() as logged:
        registry.install(_config("440000"))
        registry.install(_config("510000"))  # 2 × 4 = 8: every bulkhead still fits
        assert not logged
        registry.install(_config("110000"))  # 12 > 8, registered at run time: warned
        registry.install(_config("110000"))  # the same province again: not counted twice
        registry.install(_config("310000"))  # still beyond: said once already
    warned = [e for e in logged if e["event"] == "http_pool_below_bulkheads"]
    assert [(e["provinces"], e["max_connections"]) for e in warned] == [(3, 8)]


def test_without_a_pool_cap_the_registry_never_warns() -> None:
    registry = Registry(
        families={"fake": FakeFamily()},
        http=None,  # type: ignore[arg-type]
        policy=Policy(max_concurrency=64),
    )
    with structlog.testing.capture_logs() as logged:
        for code in ("440000", "510000", "110000", "310000"):
            registry.install(_config(code))
    assert not logged


def test_guards_share_one_guard_per_province() -> None:
    guards = Guards(FAST)
    assert guards.get(GD) is guards.get(GD)
    assert guards.get(GD, fresh=True) is not guards.get("510000")


# -- one deadline per call, whatever it takes ------------------------------------------------


def _slow_province(seconds: float) -> httpx.AsyncClient:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(seconds)
        return httpx.Response(200, json={})

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_every_request_of_a_call_shares_its_one_deadline() -> None:
    # A call of several requests (a token, the call, a new token after a 401…), each slower
    # than nothing but faster than the deadline alone: the call still ends at its deadline.
    sent = 0

    async def three_requests(http: httpx.AsyncClient) -> None:
        nonlocal sent
        for _ in range(3):
            sent += 1
            await transport.send(
                http, http.build_request("GET", "http://p/x"), province=GD, deadline=0.3
            )

    g = ProvinceGuard(GD, Policy(failure_threshold=1, retry_attempts=1))
    async with _slow_province(0.2) as http:
        started = time.monotonic()
        with pytest.raises(UpstreamTimeout):
            await g.call("status", "x", True, 0.3, three_requests, http)
    assert time.monotonic() - started < 0.3 + BACKSTOP_SECONDS
    assert sent == 2  # the second request got what was left of the deadline, not 0.3 s
    assert state_of(g.breaker) is State.open  # and its timeout was the province's failure


async def test_waiting_outside_a_request_ends_at_the_deadline_too() -> None:
    # Callers queued behind another's token fetch (a lock) each waited one more deadline.
    lock = asyncio.Lock()

    async def behind_the_token_lock() -> None:
        async with lock:
            await asyncio.sleep(10)

    g = ProvinceGuard(GD, Policy(retry_attempts=1))
    started = time.monotonic()
    outcomes = await asyncio.gather(
        *(g.call("query", "x", True, 0.2, behind_the_token_lock) for _ in range(4)),
        return_exceptions=True,
    )
    assert all(isinstance(o, UpstreamTimeout) for o in outcomes)
    assert time.monotonic() - started < 0.2 + 2 * BACKSTOP_SECONDS
    assert g.in_flight == 0


async def test_a_retry_passes_the_breaker_again() -> None:
    # Two calls fail together and open the breaker; their retries, after the backoff, must
    # not reach a province whose breaker has opened meanwhile.
    g = ProvinceGuard(
        GD,
        Policy(failure_threshold=2, retry_attempts=3, retry_wait_initial=0.05, retry_wait_jitter=0),
    )
    fn = Script(unavailable())
    outcomes = await asyncio.gather(
        g.call("query", "x", True, 5.0, fn), g.call("query", "x", True, 5.0, fn),
        return_exceptions=True,
    )  # fmt: skip
    assert fn.calls == 2  # the one retry decided before the breaker opened was refused by it
    assert sorted(type(o).__name__ for o in outcomes) == ["CircuitOpen", "UpstreamUnavailable"]


async def test_an_adapter_that_breaks_is_the_province_failing() -> None:
    g = guard(Policy(failure_threshold=1, retry_attempts=1))
    with structlog.testing.capture_logs() as logs, pytest.raises(UpstreamProtocolError) as caught:
        await call(g, Script(KeyError("client_id")))
    assert isinstance(caught.value.__cause__, KeyError)
    assert state_of(g.breaker) is State.open
    assert [(e["event"], e["error"]) for e in logs if e["event"] == "adapter_failed"] == [
        ("adapter_failed", "KeyError")
    ]


async def test_a_call_abandoned_by_its_client_counts_as_cancelled() -> None:
    g = guard()
    before = _sample("tongban_upstream_requests_total", outcome="cancelled")

    async def hang(*_: Any) -> None:
        await asyncio.Event().wait()

    task = asyncio.ensure_future(g.call("query", ITEM, True, 5.0, hang))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert _sample("tongban_upstream_requests_total", outcome="cancelled") == before + 1
    assert state_of(g.breaker) is State.closed
    assert g.in_flight == 0


async def test_a_replaced_guard_no_longer_speaks_for_the_province() -> None:
    registry = _one_province_registry()
    old = registry.guards.get(GD)
    registry.install(_config().model_copy(update={"base_url": "http://127.0.0.1:2"}))
    # A call to the old endpoint, still in flight at the rebind, fails late.
    with pytest.raises(UpstreamUnavailable):
        await old.call("status", "x", False, 5.0, Script(unavailable()))
    assert state_of(old.breaker) is State.open
    assert registry.guards.states()[GD] is State.closed
    assert registry.health[GD].healthy
