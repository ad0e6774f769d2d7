"""Asynchronous batch intake with signed callbacks (docs/protocols/batch-callback.md)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from adapters.base import ProvinceConfig
from adapters.batch_callback.client import BatchCallbackAdapter
from adapters.batch_callback.codes import STATUS
from schemas._status import CaseStatus


class BatchCallbackFamily:
    name = "batch_callback"
    description = "Batch intake (T+1), Basic auth, signed HMAC-SM3 callbacks, full-pinyin names"
    required_credentials: tuple[str, ...] = ("client_id", "client_secret")
    status_codes: Mapping[str, CaseStatus] = STATUS

    def bind(self, config: ProvinceConfig, http: httpx.AsyncClient) -> BatchCallbackAdapter:
        return BatchCallbackAdapter(config, http)


family = BatchCallbackFamily()
