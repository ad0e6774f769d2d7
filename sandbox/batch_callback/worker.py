"""The batch_callback background: batch runs and signed callback deliveries.

- Runs: every `step_seconds` (per province) every open ticket moves one status forward
  (`CaseEngine.run`). `run_now()` forces one (the control API's `POST /_sandbox/run`).
- Callbacks: every status change of a ticket whose client has subscribed is POSTed to the
  client's URL, signed (`X-Province`, `X-Timestamp`, `X-Signature` = HMAC-SM3 keyed with the
  client secret over `"<X-Timestamp>\\n<body>"`). A non-2xx answer or a transport error is
  retried after 1, 2, 4, 8 base delays, 5 attempts in all; the base delay is half the
  province's `step_seconds` (1 s at the default step of 2 s). Deliveries of one ticket go out
  in order; different tickets in parallel.

The worker runs on the server's event loop: started by the app's lifespan, or lazily by the
first request when the server runs without lifespan; `stop()` (lifespan shutdown) cancels it
and closes its HTTP client, as does cancelling its tasks when the loop ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from sandbox.engine import Case
from sandbox.sm3 import hmac_sm3_hex
from sandbox.state import SandboxState

log = logging.getLogger("sandbox.batch_callback")

MAX_ATTEMPTS = 5
HISTORY = 500
DELIVERY_TIMEOUT_SECONDS = 5.0
_MAX_TICK = 0.1
_MIN_TICK = 0.005

DeliveryState = Literal["pending", "delivered", "failed", "cancelled"]


@dataclass
class Delivery:
    """One callback: a status change of a ticket, and how sending it went (no personal data)."""

    id: int
    province: str
    ticket: str
    status: str
    url: str
    body: bytes
    secret: str
    created_at: float
    attempts: int = 0
    last_http_status: int | None = None
    last_error: str | None = None
    state: DeliveryState = "pending"
    finished_at: float | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "province": self.province,
            "ticket": self.ticket,
            "status": self.status,
            "url": self.url,
            "attempts": self.attempts,
            "last_http_status": self.last_http_status,
            "last_error": self.last_error,
            "state": self.state,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
        }


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac_sm3_hex(secret, timestamp.encode("ascii") + b"\n" + body)


class BatchWorker:
    def __init__(
        self,
        state: SandboxState,
        document: Callable[[Case], dict[str, Any]],
        wire_status: Callable[[Case], str],
    ) -> None:
        self.state = state
        self._document = document
        self._wire_status = wire_status
        self.subscriptions: dict[tuple[str, str], str] = {}  # (province, client) -> URL
        self.deliveries: deque[Delivery] = deque(maxlen=HISTORY)
        self._queues: dict[tuple[str, str], deque[Delivery]] = {}
        self._senders: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._last_run: dict[str, float] = {}
        self._runs: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None
        self._next_id = 0
        state.engine.listeners.append(self.on_change)
        state.reset_hooks.append(self.reset)

    # --- lifecycle -----------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._runs is not None and not self._runs.done()

    def start(self) -> None:
        """Starts the run loop on the running event loop (idempotent)."""
        if self.started:
            return
        self._last_run = {code: time.monotonic() for code in self.state.provinces}
        self._runs = asyncio.get_running_loop().create_task(self._run_loop())

    async def stop(self) -> None:
        tasks = [t for t in (self._runs, *self._senders.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._runs = None
        self._senders.clear()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def reset(self) -> None:
        for task in self._senders.values():
            task.cancel()
        self._senders.clear()
        for queue in self._queues.values():
            for delivery in queue:
                delivery.state = "cancelled"
        self._queues.clear()
        self.deliveries.clear()
        self.subscriptions.clear()
        now = time.monotonic()
        self._last_run = {code: now for code in self.state.provinces}

    # --- runs ----------------------------------------------------------------------------

    def run_now(self, province: str | None = None) -> dict[str, int]:
        codes = [province] if province is not None else sorted(self.state.provinces)
        moved = {}
        now = time.monotonic()
        for code in codes:
            moved[code] = self.state.engine.run(code)
            self._last_run[code] = now
        return moved

    async def _run_loop(self) -> None:
        try:
            while True:
                now = time.monotonic()
                wait = _MAX_TICK
                for code in self.state.provinces:
                    step = self.state.settings(code).step_seconds
                    due = self._last_run.get(code, now) + step
                    if now >= due:
                        try:
                            self.state.engine.run(code)
                        except Exception:  # keep running: one bad run must not stop the rest
                            log.exception("batch run of %s failed", code)
                        self._last_run[code] = now
                        due = now + step
                    wait = min(wait, due - now)
                await asyncio.sleep(max(_MIN_TICK, wait))
        finally:
            if self._http is not None:
                with contextlib.suppress(Exception):
                    await self._http.aclose()
                self._http = None

    # --- callbacks -----------------------------------------------------------------------

    def subscribe(self, province: str, client: str, url: str) -> None:
        self.subscriptions[(province, client)] = url

    def subscription(self, province: str, client: str) -> str | None:
        return self.subscriptions.get((province, client))

    def on_change(self, case: Case) -> None:
        """Engine listener: queue a callback for the change, if anyone is to be told."""
        if case.sender is None or not self.state.settings(case.province).callbacks_enabled:
            return
        url = self.subscriptions.get((case.province, case.sender))
        province = self.state.province(case.province)
        clients = province.auth.get("clients", {}) if province is not None else {}
        secret = clients.get(case.sender) if isinstance(clients, dict) else None
        if url is None or not isinstance(secret, str):
            return
        body = json.dumps(self._document(case), ensure_ascii=False, separators=(",", ":"))
        self._next_id += 1
        delivery = Delivery(
            id=self._next_id,
            province=case.province,
            ticket=case.reference,
            status=self._wire_status(case),
            url=url,
            body=body.encode("utf-8"),
            secret=secret,
            created_at=self.state.clock(),
        )
        self.deliveries.append(delivery)
        key = (case.province, case.reference)
        self._queues.setdefault(key, deque()).append(delivery)
        if key not in self._senders:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (a direct engine call): nothing can be sent
                return
            self._senders[key] = loop.create_task(self._drain(key))

    async def _drain(self, key: tuple[str, str]) -> None:
        queue = self._queues.get(key)
        try:
            while queue:
                await self._deliver(queue[0])
                queue.popleft()
        finally:
            if self._queues.get(key) is queue and not queue:
                self._queues.pop(key, None)
            if self._senders.get(key) is asyncio.current_task():
                self._senders.pop(key, None)

    async def _deliver(self, delivery: Delivery) -> None:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=DELIVERY_TIMEOUT_SECONDS, trust_env=False)
        base = self.state.settings(delivery.province).step_seconds / 2
        for attempt in range(1, MAX_ATTEMPTS + 1):
            delivery.attempts = attempt
            timestamp = str(int(self.state.clock()))
            headers = {
                "Content-Type": "application/json",
                "X-Province": delivery.province,
                "X-Timestamp": timestamp,
                "X-Signature": sign(delivery.secret, timestamp, delivery.body),
            }
            try:
                answer = await self._http.post(delivery.url, content=delivery.body, headers=headers)
            except httpx.HTTPError as exc:
                delivery.last_http_status, delivery.last_error = None, type(exc).__name__
            else:
                delivery.last_http_status, delivery.last_error = answer.status_code, None
                if answer.is_success:
                    delivery.state = "delivered"
                    delivery.finished_at = self.state.clock()
                    return
            if attempt < MAX_ATTEMPTS:
                await asyncio.sleep(base * 2 ** (attempt - 1))
        delivery.state = "failed"
        delivery.finished_at = self.state.clock()
        log.info(
            "callback %s for %s failed after %d attempts", delivery.id, delivery.ticket, attempt
        )
