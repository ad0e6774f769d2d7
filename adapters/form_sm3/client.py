"""I/O for the open-platform form family: every call is one signed form POST to /open/api."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from adapters.base import LegState, ProvinceConfig, SubmitRequest, binding
from adapters.errors import UpstreamProtocolError, UpstreamUnavailable
from adapters.form_sm3 import codes, sign, translate
from adapters.transport import endpoint, send
from adapters.vocabulary import WireAnswer

_PATH = "/open/api"
_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=UTF-8"


class FormSm3Adapter:
    def __init__(self, config: ProvinceConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self._http = http
        self._vocab = translate.vocabulary(config)
        # Injectable so tests can pin the signed timestamp.
        self.clock: Callable[[], float] = time.time

    # -- the contract -------------------------------------------------------------------

    async def submit(self, request: SubmitRequest) -> LegState:
        local = binding(self.config, request.item).local_code
        data = await self._call("case.submit", translate.submit_biz(self._vocab, local, request))
        return self._leg(data)

    async def status(self, item: str, reference: str) -> LegState:
        return self._leg(await self._call("case.status", {"caseNo": reference}))

    async def supplement(self, item: str, reference: str, data: dict[str, Any]) -> LegState:
        answer = await self._call(
            "case.supplement", {"caseNo": reference, "formData": self._vocab.to_wire(data)}
        )
        return await self._after_change(item, reference, answer)

    async def withdraw(self, item: str, reference: str) -> LegState:
        answer = await self._call("case.withdraw", {"caseNo": reference})
        return await self._after_change(item, reference, answer)

    async def query(self, item: str, conditions: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = (await self.query_wire(item, conditions)).canonical()
        return result

    async def query_wire(self, item: str, conditions: dict[str, Any]) -> WireAnswer:
        local = binding(self.config, item).local_code
        data = await self._call(
            "data.query", {"itemCode": local, "conditions": self._vocab.to_wire(conditions)}
        )
        return WireAnswer(data, self._vocab)

    async def ping(self) -> None:
        await self._call("sys.ping", {})

    # -- plumbing -----------------------------------------------------------------------

    def _leg(self, data: dict[str, Any]) -> LegState:
        return translate.leg_state(self._vocab, data, province=self.config.code)

    async def _after_change(self, item: str, reference: str, answer: dict[str, Any]) -> LegState:
        # The spec gives no answer shape for supplement/withdraw: use the case document when
        # the province sends one, otherwise ask for it.
        if translate.has_case(answer):
            return self._leg(answer)
        return await self.status(item, reference)

    async def _call(self, method: str, biz: dict[str, Any]) -> dict[str, Any]:
        form = sign.signed_form(
            app_key=self.config.secret("app_key"),
            secret=self.config.secret("app_secret"),
            method=method,
            biz_content=translate.biz_content(biz),
            timestamp_ms=int(self.clock() * 1000),
            nonce=sign.new_nonce(),
        )
        request = self._http.build_request(
            "POST",
            endpoint(self.config.base_url, _PATH),
            data=form,
            headers={"Content-Type": _CONTENT_TYPE},
        )
        response = await send(
            self._http, request, province=self.config.code, deadline=self.config.timeout_seconds
        )
        return translate.unwrap(self._decode(response), province=self.config.code)

    def _decode(self, response: httpx.Response) -> Any:
        if response.status_code >= 500 or response.status_code == 429:
            code = codes.SYSTEM_ERROR if response.status_code >= 500 else codes.TOO_MANY_REQUESTS
            raise UpstreamUnavailable(
                f"HTTP {response.status_code}", province=self.config.code, code=code
            )
        try:
            return response.json()
        except ValueError as exc:
            raise UpstreamProtocolError(
                f"HTTP {response.status_code} answer is not JSON", province=self.config.code
            ) from exc
