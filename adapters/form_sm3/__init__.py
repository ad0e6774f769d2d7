"""Signed form posts to an open-platform gateway, HMAC-SM3 (docs/protocols/form-sm3.md)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from adapters.base import ProvinceConfig
from adapters.form_sm3.client import FormSm3Adapter
from adapters.form_sm3.codes import STATUS
from schemas._status import CaseStatus


class FormSm3Family:
    name = "form_sm3"
    description = "Signed form posts (HMAC-SM3, appKey/nonce), bizContent JSON, camelCase names"
    required_credentials: tuple[str, ...] = ("app_key", "app_secret")
    status_codes: Mapping[str, CaseStatus] = STATUS

    def bind(self, config: ProvinceConfig, http: httpx.AsyncClient) -> FormSm3Adapter:
        return FormSm3Adapter(config, http)


family = FormSm3Family()
