"""I/O for the JSON REST family: OAuth2 client-credentials tokens and enveloped calls.

Tokens are fetched through the shared, pooled ``httpx.AsyncClient`` (a per-province OAuth
client would need its own pool), refreshed shortly before expiry, and refreshed once more
when the province answers 401 early (tokens revoked, clocks apart).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from adapters.base import LegState, ProvinceConfig, SubmitRequest, binding
from adapters.errors import UpstreamAuthFailed, UpstreamProtocolError, UpstreamUnavailable
from adapters.rest_oauth import codes, translate
from adapters.transport import endpoint, json_request, send
from adapters.vocabulary import WireAnswer

_EARLY_REFRESH_SECONDS = 30.0


class RestOAuthAdapter:
    def __init__(self, config: ProvinceConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self._http = http
        self._vocab = translate.vocabulary(config)
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()

    # -- the contract -------------------------------------------------------------------

    async def submit(self, request: SubmitRequest) -> LegState:
        local = binding(self.config, request.item).local_code
        body = translate.submit_body(
            self._vocab, local, request, self.config.credentials.get("client_id", "tongban")
        )
        data = await self._call("POST", "/api/v1/bj/sb", json=body)
        return translate.leg_state(self._vocab, data, province=self.config.code)

    async def status(self, item: str, reference: str) -> LegState:
        data = await self._call("GET", f"/api/v1/bj/{reference}")
        return translate.leg_state(self._vocab, data, province=self.config.code)

    async def supplement(self, item: str, reference: str, data: dict[str, Any]) -> LegState:
        answer = await self._call(
            "POST", f"/api/v1/bj/{reference}/bz", json={"bdsj": self._vocab.to_wire(data)}
        )
        return translate.leg_state(self._vocab, answer, province=self.config.code)

    async def withdraw(self, item: str, reference: str) -> LegState:
        data = await self._call("POST", f"/api/v1/bj/{reference}/cx", json={})
        return translate.leg_state(self._vocab, data, province=self.config.code)

    async def query(self, item: str, conditions: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = (await self.query_wire(item, conditions)).canonical()
        return result

    async def query_wire(self, item: str, conditions: dict[str, Any]) -> WireAnswer:
        local = binding(self.config, item).local_code
        data = await self._call(
            "POST", f"/api/v1/cx/{local}", json={"cxtj": self._vocab.to_wire(conditions)}
        )
        return WireAnswer(data, self._vocab)

    async def ping(self) -> None:
        request = self._http.build_request("GET", endpoint(self.config.base_url, "/api/v1/ping"))
        response = await self._send(request)
        self._decode(response)

    # -- plumbing -----------------------------------------------------------------------

    async def _call(self, method: str, path: str, *, json: Any = None) -> dict[str, Any]:
        for attempt in (1, 2):
            token = await self._bearer(force=attempt == 2)
            request = json_request(
                self._http,
                method,
                endpoint(self.config.base_url, path),
                json,
                {"Authorization": f"Bearer {token}"},
            )
            response = await self._send(request)
            if response.status_code == 401 and attempt == 1:
                continue
            return translate.unwrap(self._decode(response), province=self.config.code)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _bearer(self, *, force: bool) -> str:
        async with self._token_lock:
            if force or self._token is None or time.monotonic() >= self._token_expires:
                self._token, lifetime = await self._fetch_token()
                self._token_expires = time.monotonic() + max(
                    lifetime - _EARLY_REFRESH_SECONDS, lifetime / 2
                )
            return self._token

    async def _fetch_token(self) -> tuple[str, float]:
        request = self._http.build_request(
            "POST",
            endpoint(self.config.base_url, "/oauth/token"),
            data={
                "grant_type": "client_credentials",
                "client_id": self.config.secret("client_id"),
                "client_secret": self.config.secret("client_secret"),
            },
        )
        response = await self._send(request)
        if response.status_code in (400, 401):
            raise UpstreamAuthFailed("token request refused", province=self.config.code)
        payload = self._decode(response)
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            raise UpstreamProtocolError(
                "token answer without access_token", province=self.config.code
            )
        expires_in = payload.get("expires_in", 300)
        return token, float(expires_in) if isinstance(expires_in, int | float) else 300.0

    async def _send(self, request: httpx.Request) -> httpx.Response:
        return await send(
            self._http, request, province=self.config.code, deadline=self.config.timeout_seconds
        )

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
