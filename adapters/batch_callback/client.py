"""I/O for the batch/callback family: Basic-auth JSON calls, and receiving its callbacks."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from adapters.base import LegState, ProvinceConfig, SubmitRequest, binding
from adapters.batch_callback import callback, translate
from adapters.errors import UpstreamProtocolError, UpstreamUnavailable
from adapters.transport import endpoint, json_request, send
from adapters.vocabulary import WireAnswer


def _segment(value: str) -> str:
    # Tickets and item codes go into the path: a "/" or "?" in one must not change the route.
    return quote(value, safe="")


class BatchCallbackAdapter:
    def __init__(self, config: ProvinceConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self._http = http
        self._vocab = translate.vocabulary(config)
        # Injectable so tests can judge callback freshness against a fixed "now".
        self.clock: Callable[[], float] = time.time

    # -- the contract -------------------------------------------------------------------

    async def submit(self, request: SubmitRequest) -> LegState:
        local = binding(self.config, request.item).local_code
        body = translate.batch_body(self._vocab, local, request)
        answer = await self._call("POST", "/batches", json=body)
        return translate.submitted(self._vocab, answer, request.serial, province=self.config.code)

    async def status(self, item: str, reference: str) -> LegState:
        return self._leg(await self._call("GET", f"/tickets/{_segment(reference)}"))

    async def supplement(self, item: str, reference: str, data: dict[str, Any]) -> LegState:
        answer = await self._call(
            "POST",
            f"/tickets/{_segment(reference)}/supplement",
            json={"payload": self._vocab.to_wire(data)},
        )
        return await self._after_change(item, reference, answer)

    async def withdraw(self, item: str, reference: str) -> LegState:
        answer = await self._call("POST", f"/tickets/{_segment(reference)}/withdraw", json={})
        return await self._after_change(item, reference, answer)

    async def query(self, item: str, conditions: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = (await self.query_wire(item, conditions)).canonical()
        return result

    async def query_wire(self, item: str, conditions: dict[str, Any]) -> WireAnswer:
        local = binding(self.config, item).local_code
        answer = await self._call(
            "POST",
            f"/lookups/{_segment(local)}",
            json={"conditions": self._vocab.to_wire(conditions)},
        )
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, dict):
            raise UpstreamProtocolError(
                "lookup answer has no data object", province=self.config.code
            )
        return WireAnswer(data, self._vocab)

    async def ping(self) -> None:
        answer = await self._call("GET", "/health")
        if not isinstance(answer, dict) or answer.get("status") != "ok":
            raise UpstreamUnavailable("health answer is not ok", province=self.config.code)

    # -- CallbackReceiver ---------------------------------------------------------------

    async def subscribe(self, callback_url: str) -> None:
        await self._call("PUT", "/subscription", json={"callbackUrl": callback_url})

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> LegState:
        callback.authenticate(
            headers,
            body,
            secret=self.config.secret("client_secret"),
            province=self.config.code,
            now=self.clock(),
        )
        return self._leg(callback.document(body, province=self.config.code))

    # -- plumbing -----------------------------------------------------------------------

    def _leg(self, doc: Any) -> LegState:
        return translate.leg_state(self._vocab, doc, province=self.config.code)

    async def _after_change(self, item: str, reference: str, answer: Any) -> LegState:
        # The spec gives no answer shape for supplement/withdraw: use the ticket document when
        # the province sends one, otherwise poll for it.
        if translate.has_ticket(answer):
            return self._leg(answer)
        return await self.status(item, reference)

    def _authorization(self) -> str:
        pair = f"{self.config.secret('client_id')}:{self.config.secret('client_secret')}"
        return "Basic " + base64.b64encode(pair.encode()).decode("ascii")

    async def _call(self, method: str, path: str, *, json: Any = None) -> Any:
        """The decoded JSON of a 2xx answer (None when empty), or the mapped error."""
        request = json_request(
            self._http,
            method,
            endpoint(self.config.base_url, path),
            json,
            {"Authorization": self._authorization()},
        )
        response = await send(
            self._http, request, province=self.config.code, deadline=self.config.timeout_seconds
        )
        payload = self._decode(response)
        if not response.is_success:
            raise translate.failure(response.status_code, payload, province=self.config.code)
        return payload

    def _decode(self, response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            if not response.is_success:
                return None  # a proxy's error page: the HTTP status alone decides
            raise UpstreamProtocolError(
                f"HTTP {response.status_code} answer is not JSON", province=self.config.code
            ) from exc
