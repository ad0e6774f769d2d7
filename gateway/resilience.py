"""Per-province resilience: the one layer every adapter call goes through.

``Registry.install`` wraps each bound adapter in a ``ResilientAdapter``; every call
(submit, status, supplement, withdraw, query, ping, subscribe) then passes its province's
``ProvinceGuard``::

    1. circuit breaker   open → ``CircuitOpen`` at once (503, Retry-After, province named);
                         after ``open_seconds`` one call is let through as the half-open
                         probe (others are still refused): success closes, failure reopens
    2. bulkhead          at most ``max_concurrency`` calls in flight per province; the next
                         one gets ``ProvinceOverloaded`` at once, so one slow province cannot
                         hold every pooled connection
    3. the call          one deadline for the whole call: every request it sends (a token,
                         the call, a retry) ends by it (``adapters.transport.call_deadline``:
                         a province dripping a byte a second still times out), and a backstop
                         just after it ends what else waits (a token lock, a backoff)
    4. retries           idempotent calls only (status, query, ping, subscribe, and submit,
                         idempotent by its serial), only on ``UpstreamUnavailable`` (refused,
                         reset, 5xx: not timeouts, which already used the deadline), with
                         jittered exponential backoff (stamina) inside the deadline, and only
                         while the province's retry budget allows (≈20 % of its calls)
    5. accounting        every attempt feeds the breaker and the latency histogram, every call
                         the outcome counter; breaker transitions update ``Registry.health``.
                         An adapter failing in a way it should not (a bug, a broken secret)
                         is the province failing: logged, counted, a protocol error

The breaker opens on ``failure_threshold`` consecutive failures, or when at least
``min_calls`` calls in the last ``window_seconds`` failed at ``failure_rate`` or more.
Failures are ``UpstreamFailure``s (the province could not answer properly); business
answers (rejected, not found, item not served) are the province working.

Why a breaker of our own rather than purgatory: purgatory counts consecutive failures only
(no failure-rate window), lets every call through while half-open instead of a single
probe, and goes through an awaited unit-of-work/message-bus per call; ours is ~80 lines of
synchronous bookkeeping on the hot path, keyed by province, with a state-change callback
for health and metrics. stamina drives the retry loop, entered only after a first failure:
building its retry context costs ~0.1 ms, too much to pay on every successful call.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import stamina
import structlog

from adapters import transport
from adapters.base import (
    CallbackReceiver,
    LegState,
    ProvinceAdapter,
    ProvinceConfig,
    SubmitRequest,
    wire_query,
)
from adapters.errors import (
    AdapterError,
    CaseNotFound,
    CircuitOpen,
    ItemNotServed,
    ProvinceOverloaded,
    UpstreamAuthFailed,
    UpstreamFailure,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from adapters.vocabulary import WireAnswer
from gateway import metrics
from gateway.observability import Tracing

log = structlog.get_logger(__name__)

# How long after a call's deadline the backstop ends it. Requests end at the deadline by their
# own timeout, which gives the breaker its verdict; the backstop ends only what waits outside a
# request, and must not win that race.
BACKSTOP_SECONDS = 0.05

P = ParamSpec("P")
T = TypeVar("T")
Clock = Callable[[], float]

# The retry loop logs and counts through our own hooks (province-labelled); stamina's
# default hooks would add an unprefixed Prometheus counter and a log line of their own.
stamina.instrumentation.set_on_retry_hooks([])


class State(enum.StrEnum):
    closed = "closed"
    open = "open"
    half_open = "half_open"


@dataclass(frozen=True)
class Policy:
    """Resilience settings, the same for every province (``TONGBAN_`` settings)."""

    max_concurrency: int = 64
    failure_threshold: int = 5
    failure_rate: float = 0.5
    min_calls: int = 20
    window_seconds: float = 10.0
    open_seconds: float = 15.0
    retry_attempts: int = 3
    retry_wait_initial: float = 0.05
    retry_wait_max: float = 1.0
    retry_wait_jitter: float = 0.1
    retry_budget_ratio: float = 0.2
    retry_budget_reserve: float = 10.0

    @classmethod
    def from_settings(cls, settings: Any) -> Policy:
        return cls(
            max_concurrency=settings.province_max_concurrency,
            failure_threshold=settings.breaker_failure_threshold,
            failure_rate=settings.breaker_failure_rate,
            min_calls=settings.breaker_min_calls,
            window_seconds=settings.breaker_window_seconds,
            open_seconds=settings.breaker_open_seconds,
            retry_attempts=settings.call_retry_attempts,
            retry_wait_initial=settings.call_retry_wait_initial_seconds,
            retry_wait_max=settings.call_retry_wait_max_seconds,
            retry_budget_ratio=settings.call_retry_budget_ratio,
            retry_budget_reserve=settings.call_retry_budget_reserve,
        )


OnChange = Callable[[str, State, str], None]


class CircuitBreaker:
    """closed → open → half-open (one probe) → closed | open. Not thread-safe: one loop."""

    def __init__(
        self,
        province: str,
        policy: Policy,
        *,
        clock: Clock = time.monotonic,
        on_change: OnChange | None = None,
    ) -> None:
        self.province = province
        self.policy = policy
        self.state = State.closed
        self.reason = ""
        self._clock = clock
        self.on_change = on_change
        self._open_until = 0.0
        self._probing = False
        self._consecutive = 0
        self._slots = max(1, round(policy.window_seconds))
        self._slot_seconds = policy.window_seconds / self._slots
        self._stamp = [-1] * self._slots
        self._calls = [0] * self._slots
        self._fails = [0] * self._slots

    # -- admission ------------------------------------------------------------------------

    def acquire(self) -> bool:
        """Admit a call, or raise ``CircuitOpen``. True when the call is the half-open probe."""
        if self.state is State.closed:
            return False
        now = self._clock()
        if self.state is State.open:
            if now < self._open_until:
                raise CircuitOpen(
                    f"circuit open after repeated failures ({self.reason})",
                    province=self.province,
                    retry_after=self._open_until - now,
                )
            self._set(State.half_open, self.reason)
        if self._probing:
            raise CircuitOpen(
                "circuit half-open: a probe call is in flight",
                province=self.province,
                retry_after=1.0,
            )
        self._probing = True
        return True

    def retry_after(self) -> float:
        if self.state is State.open:
            return max(0.0, self._open_until - self._clock())
        return 0.0

    # -- verdicts -------------------------------------------------------------------------

    def success(self, probe: bool) -> None:
        if probe:
            self._probing = False
            self._reset_window()
            self._set(State.closed, "")
            return
        if self.state is State.closed:
            self._consecutive = 0
            self._record(failed=False)

    def failure(self, probe: bool, reason: str) -> None:
        if probe:
            self._probing = False
            self._open(f"probe failed: {reason}")
            return
        if self.state is not State.closed:
            return  # a call admitted before the breaker opened
        self._consecutive += 1
        calls, fails = self._record(failed=True)
        if self._consecutive >= self.policy.failure_threshold:
            self._open(f"{self._consecutive} consecutive failures, last {reason}")
        elif calls >= self.policy.min_calls and fails >= self.policy.failure_rate * calls:
            self._open(f"{fails} of {calls} calls failed, last {reason}")

    def release(self, probe: bool) -> None:
        """The call ended without a verdict (cancelled, or a bug): free the probe slot."""
        if probe:
            self._probing = False

    # -- internals ------------------------------------------------------------------------

    def _open(self, reason: str) -> None:
        self._open_until = self._clock() + self.policy.open_seconds
        self._consecutive = 0
        self._set(State.open, reason)

    def _set(self, state: State, reason: str) -> None:
        if state is self.state:
            return
        self.state = state
        self.reason = reason
        if self.on_change is not None:
            self.on_change(self.province, state, reason)

    def _record(self, *, failed: bool) -> tuple[int, int]:
        tick = int(self._clock() / self._slot_seconds)
        slot = tick % self._slots
        if self._stamp[slot] != tick:
            self._stamp[slot] = tick
            self._calls[slot] = 0
            self._fails[slot] = 0
        self._calls[slot] += 1
        if not failed:
            return 0, 0
        self._fails[slot] += 1
        oldest = tick - self._slots + 1
        calls = fails = 0
        for i in range(self._slots):
            if self._stamp[i] >= oldest:
                calls += self._calls[i]
                fails += self._fails[i]
        return calls, fails

    def _reset_window(self) -> None:
        self._consecutive = 0
        self._stamp = [-1] * self._slots


class RetryBudget:
    """Retries may be at most ``ratio`` of calls, plus a small ``reserve`` (token bucket).

    Every call deposits ``ratio`` of a token, every retry spends one; the balance never
    exceeds ``reserve``. So over any stretch, retries ≤ reserve + ratio × calls.
    """

    def __init__(self, ratio: float, reserve: float) -> None:
        self.ratio = ratio
        self.reserve = max(1.0, reserve)
        self.balance = self.reserve

    def deposit(self) -> None:
        balance = self.balance + self.ratio
        self.balance = balance if balance < self.reserve else self.reserve

    def withdraw(self) -> bool:
        if self.balance >= 1.0:
            self.balance -= 1.0
            return True
        return False


def outcome_of(exc: BaseException | None) -> str:
    """The outcome label of a finished call."""
    if exc is None:
        return "ok"
    for cls, label in _OUTCOMES:
        if isinstance(exc, cls):
            return label
    return "error"


_OUTCOMES: tuple[tuple[type[BaseException], str], ...] = (
    (asyncio.CancelledError, "cancelled"),
    (CircuitOpen, "circuit_open"),
    (ProvinceOverloaded, "overloaded"),
    (UpstreamTimeout, "timeout"),
    (UpstreamUnavailable, "unavailable"),
    (UpstreamAuthFailed, "auth"),
    (UpstreamProtocolError, "protocol"),
    (UpstreamRejected, "rejected"),
    (CaseNotFound, "not_found"),
    (ItemNotServed, "not_served"),
)


class ProvinceGuard:
    """Breaker, bulkhead and retry budget of one province, shared by its adapter's rebinds."""

    def __init__(
        self,
        province: str,
        policy: Policy,
        *,
        clock: Clock = time.monotonic,
        on_change: OnChange | None = None,
    ) -> None:
        self.province = province
        self.policy = policy
        self.breaker = CircuitBreaker(province, policy, clock=clock, on_change=on_change)
        self.budget = RetryBudget(policy.retry_budget_ratio, policy.retry_budget_reserve)
        self.in_flight = 0
        self._clock = clock
        self._m_in_flight = metrics.IN_FLIGHT.labels(province)
        self._m_duration: dict[str, Any] = {}
        self._m_calls: dict[tuple[str, str, str], Any] = {}

    async def call(
        self,
        operation: str,
        item: str,
        idempotent: bool,
        deadline: float,
        fn: Callable[P, Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run one adapter call under the province's breaker, bulkhead and retry policy."""
        if Tracing.tracer is None:
            return await self._call(operation, item, idempotent, deadline, fn, *args, **kwargs)
        attributes = {
            "tongban.province": self.province,
            "tongban.item": item,
            "tongban.operation": operation,
        }
        with Tracing.span(f"province.{operation}", **attributes) as span:
            try:
                result = await self._call(
                    operation, item, idempotent, deadline, fn, *args, **kwargs
                )
            except BaseException as exc:
                span.set_attribute("tongban.outcome", outcome_of(exc))
                raise
            span.set_attribute("tongban.outcome", "ok")
            return result

    async def _call(
        self,
        operation: str,
        item: str,
        idempotent: bool,
        deadline: float,
        fn: Callable[P, Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        outcome = "error"
        try:
            probe = self.breaker.acquire()
            if self.in_flight >= self.policy.max_concurrency:
                self.breaker.release(probe)
                metrics.BULKHEAD_REJECTIONS.labels(self.province).inc()
                raise ProvinceOverloaded(
                    f"{self.in_flight} calls already in flight "
                    f"(limit {self.policy.max_concurrency})",
                    province=self.province,
                )
            self.in_flight += 1
            self._m_in_flight.inc()
            try:
                self.budget.deposit()
                started = self._clock()
                with transport.call_deadline(deadline):
                    try:
                        async with asyncio.timeout(deadline + BACKSTOP_SECONDS):
                            try:
                                result = await self._attempt(operation, probe, fn, *args, **kwargs)
                            except UpstreamUnavailable as first:
                                if not idempotent or self.policy.retry_attempts < 2:
                                    raise
                                result = await self._retry(
                                    operation, started + deadline, first, fn, *args, **kwargs
                                )
                    except TimeoutError as exc:
                        raise UpstreamTimeout(
                            f"no answer within the call's deadline ({deadline:g} s)",
                            province=self.province,
                        ) from exc
            finally:
                self.in_flight -= 1
                self._m_in_flight.dec()
            outcome = "ok"
            return result
        except BaseException as exc:
            outcome = outcome_of(exc)
            raise
        finally:
            key = (item, operation, outcome)
            counter = self._m_calls.get(key)
            if counter is None:
                counter = self._m_calls[key] = metrics.UPSTREAM_REQUESTS.labels(
                    item, self.province, operation, outcome
                )
            counter.inc()

    async def _attempt(
        self,
        operation: str,
        probe: bool,
        fn: Callable[P, Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        started = time.perf_counter()
        settled = False
        try:
            result = await fn(*args, **kwargs)
        except UpstreamFailure as exc:
            settled = True
            self.breaker.failure(probe, type(exc).__name__)
            raise
        except AdapterError:
            settled = True  # a business answer: the province works
            self.breaker.success(probe)
            raise
        except Exception as exc:  # the adapter broke: not a verdict to pass on as it is
            settled = True
            self.breaker.failure(probe, type(exc).__name__)
            raise self._broken(operation, exc) from exc
        else:
            settled = True
            self.breaker.success(probe)
            return result
        finally:
            if settled:
                histogram = self._m_duration.get(operation)
                if histogram is None:
                    histogram = self._m_duration[operation] = metrics.UPSTREAM_DURATION.labels(
                        self.province, operation
                    )
                histogram.observe(time.perf_counter() - started)
            else:  # cancelled: the call was abandoned, no verdict and no latency
                self.breaker.release(probe)

    def _broken(self, operation: str, exc: Exception) -> UpstreamProtocolError:
        """An adapter's unexpected exception as the province's failure, logged (as every
        exception is: its type and frames, not its message, which may hold an answer's
        values: ``gateway.logs``)."""
        log.error(
            "adapter_failed",
            province=self.province,
            operation=operation,
            error=type(exc).__name__,
            exc_info=exc,
        )
        return UpstreamProtocolError(
            f"the province's adapter failed ({type(exc).__name__})", province=self.province
        )

    async def _retry(
        self,
        operation: str,
        ends: float,
        first: UpstreamUnavailable,
        fn: Callable[P, Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Attempts 2…n: stamina's jittered exponential backoff, until ``ends`` (the call's
        deadline, on this guard's clock). Each retry passes the breaker again: one that
        opened during the backoff refuses it (``CircuitOpen``), as it would a new call."""
        made = 0

        def should_retry(exc: Exception) -> bool:
            nonlocal made
            if not self._retryable(exc, made):
                return False
            if not self.budget.withdraw():
                metrics.RETRY_BUDGET_EXHAUSTED.labels(self.province).inc()
                return False
            made += 1
            metrics.UPSTREAM_RETRIES.labels(self.province, operation).inc()
            log.info(
                "upstream_retry",
                province=self.province,
                operation=operation,
                retry=made,
                error=type(exc).__name__,
            )
            return True

        remaining = ends - self._clock()
        if remaining <= 0 or not self._retryable(first, 0):
            raise first
        replay: UpstreamUnavailable | None = first
        async for attempt in stamina.retry_context(
            on=should_retry,
            attempts=None,  # should_retry counts
            timeout=remaining,
            wait_initial=self.policy.retry_wait_initial,
            wait_max=self.policy.retry_wait_max,
            wait_jitter=self.policy.retry_wait_jitter,
        ):
            with attempt:
                if replay is not None:
                    # The first attempt's failure: judged by should_retry, then stamina
                    # waits its backoff before the real second attempt.
                    failed, replay = replay, None
                    raise failed
                if self._clock() >= ends:  # the backoff used what was left: not sent
                    raise UpstreamTimeout(
                        "the call's deadline passed during the retry's backoff",
                        province=self.province,
                    )
                probe = self.breaker.acquire()
                return await self._attempt(operation, probe, fn, *args, **kwargs)
        raise AssertionError("unreachable")  # pragma: no cover

    def _retryable(self, exc: Exception, made: int) -> bool:
        return (
            isinstance(exc, UpstreamUnavailable)
            and not isinstance(exc, CircuitOpen | ProvinceOverloaded)
            and self.breaker.state is State.closed
            and made < self.policy.retry_attempts - 1
        )


class Guards:
    """One ``ProvinceGuard`` per province, kept across rebinds of the same endpoint."""

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        clock: Clock = time.monotonic,
        on_change: OnChange | None = None,
    ) -> None:
        self.policy = policy or Policy()
        self.on_change = on_change
        self._clock = clock
        self._guards: dict[str, ProvinceGuard] = {}

    def get(self, province: str, *, fresh: bool = False) -> ProvinceGuard:
        guard = self._guards.get(province)
        if guard is None or fresh:
            guard = ProvinceGuard(province, self.policy, clock=self._clock)
            # A replaced guard's calls may still finish (a rebind to a new endpoint): its
            # breaker then speaks for an endpoint no longer used, and must not move the
            # province's health or breaker metrics.
            guard.breaker.on_change = functools.partial(self._changed_if_current, guard)
            self._guards[province] = guard
            for state in State:
                metrics.BREAKER_STATE.labels(province, state.value).set(
                    1 if state is State.closed else 0
                )
        return guard

    def states(self) -> Mapping[str, State]:
        return {code: guard.breaker.state for code, guard in self._guards.items()}

    def _changed_if_current(
        self, guard: ProvinceGuard, province: str, state: State, reason: str
    ) -> None:
        if self._guards.get(province) is guard:
            self._changed(province, state, reason)

    def _changed(self, province: str, state: State, reason: str) -> None:
        for each in State:
            metrics.BREAKER_STATE.labels(province, each.value).set(1 if each is state else 0)
        metrics.BREAKER_TRANSITIONS.labels(province, state.value).inc()
        if state is State.open:
            log.warning(
                "circuit_opened",
                province=province,
                reason=reason,
                open_seconds=self.policy.open_seconds,
            )
        else:
            log.info("circuit_" + state.value, province=province)
        if self.on_change is not None:
            self.on_change(province, state, reason)


class ResilientAdapter:
    """A province adapter behind its guard. ``inner`` is the adapter itself."""

    def __init__(self, inner: ProvinceAdapter, guard: ProvinceGuard) -> None:
        self.inner = inner
        self.config: ProvinceConfig = inner.config
        self.guard = guard
        self._deadline = inner.config.timeout_seconds
        self._query_wire = wire_query(inner)

    async def submit(self, request: SubmitRequest) -> LegState:
        return await self.guard.call(
            "submit", request.item, True, self._deadline, self.inner.submit, request
        )

    async def status(self, item: str, reference: str) -> LegState:
        return await self.guard.call(
            "status", item, True, self._deadline, self.inner.status, item, reference
        )

    async def supplement(self, item: str, reference: str, data: dict[str, Any]) -> LegState:
        return await self.guard.call(
            "supplement", item, False, self._deadline, self.inner.supplement, item, reference, data
        )

    async def withdraw(self, item: str, reference: str) -> LegState:
        return await self.guard.call(
            "withdraw", item, False, self._deadline, self.inner.withdraw, item, reference
        )

    async def query(self, item: str, conditions: dict[str, Any]) -> dict[str, Any]:
        return await self.guard.call(
            "query", item, True, self._deadline, self.inner.query, item, conditions
        )

    async def query_wire(self, item: str, conditions: dict[str, Any]) -> WireAnswer:
        """The answer in the province's terms, for ``gateway.wire_json``; an adapter that
        cannot give it answers through ``query``, canonical (``WireAnswer.vocabulary`` None)."""
        return await self.guard.call(
            "query", item, True, self._deadline, self._query_wire, item, conditions
        )

    async def ping(self) -> None:
        await self.guard.call("ping", "-", True, self._deadline, self.inner.ping)


class ResilientCallbackAdapter(ResilientAdapter):
    """The same, for families that call the gateway back (subscribe, verify_callback)."""

    def __init__(self, inner: ProvinceAdapter, guard: ProvinceGuard) -> None:
        super().__init__(inner, guard)
        assert isinstance(inner, CallbackReceiver)
        self._receiver: CallbackReceiver = inner

    async def subscribe(self, callback_url: str) -> None:
        await self.guard.call(
            "subscribe", "-", True, self._deadline, self._receiver.subscribe, callback_url
        )

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> LegState:
        return self._receiver.verify_callback(headers, body)  # local: no I/O, no guard


def guarded(adapter: ProvinceAdapter, guard: ProvinceGuard) -> ResilientAdapter:
    if isinstance(adapter, CallbackReceiver):
        return ResilientCallbackAdapter(adapter, guard)
    return ResilientAdapter(adapter, guard)
