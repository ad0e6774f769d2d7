"""JSON REST with OAuth2 client-credentials tokens (docs/protocols/rest-oauth.md)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from adapters.base import ProvinceConfig
from adapters.rest_oauth.client import RestOAuthAdapter
from adapters.rest_oauth.codes import STATUS
from schemas._status import CaseStatus


class RestOAuthFamily:
    name = "rest_oauth"
    description = "JSON REST, OAuth2 client credentials, pinyin-initial field names"
    required_credentials: tuple[str, ...] = ("client_id", "client_secret")
    status_codes: Mapping[str, CaseStatus] = STATUS

    def bind(self, config: ProvinceConfig, http: httpx.AsyncClient) -> RestOAuthAdapter:
        return RestOAuthAdapter(config, http)


family = RestOAuthFamily()
