"""SOAP-style XML in GBK with a package header (docs/protocols/soap-gbk.md)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from adapters.base import ProvinceConfig
from adapters.soap_gbk.client import SoapGbkAdapter
from adapters.soap_gbk.codes import STATUS
from schemas._status import CaseStatus


class SoapGbkFamily:
    name = "soap_gbk"
    description = "SOAP-style XML in GBK, package header with SM3 AuthCode, numeric codes"
    required_credentials: tuple[str, ...] = ("sender_code", "receiver_code", "secret")
    status_codes: Mapping[str, CaseStatus] = STATUS

    def bind(self, config: ProvinceConfig, http: httpx.AsyncClient) -> SoapGbkAdapter:
        return SoapGbkAdapter(config, http)


family = SoapGbkFamily()
