"""I/O for the SOAP/GBK family: one operation, one POST of a signed package."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from xml.etree.ElementTree import Element, SubElement

import httpx

from adapters import request_build
from adapters.base import LegState, ProvinceConfig, SubmitRequest, binding
from adapters.errors import UpstreamProtocolError
from adapters.soap_gbk import translate, xml
from adapters.transport import endpoint, send
from adapters.vocabulary import WireAnswer

_PATH = "/services/XzfwService"


class SoapGbkAdapter:
    def __init__(self, config: ProvinceConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self._http = http
        self._vocab = translate.vocabulary(config)

    async def submit(self, request: SubmitRequest) -> LegState:
        local = binding(self.config, request.item).local_code
        case = Element("Case")
        xml.append(case, "Data", self._vocab.to_wire(request.data))
        xml.append(case, "RelatedRef", request.related_reference)
        # The collaboration id is the idempotency key: a retry finds the same case.
        body = await self._call("submitCase", local, case, collaboration_id=request.serial)
        return translate.leg_state(self._vocab, body, province=self.config.code)

    async def status(self, item: str, reference: str) -> LegState:
        body = await self._call("queryCase", "QUERY", self._case(reference))
        return translate.leg_state(self._vocab, body, province=self.config.code)

    async def supplement(self, item: str, reference: str, data: dict[str, Any]) -> LegState:
        case = self._case(reference)
        xml.append(case, "Data", self._vocab.to_wire(data))
        body = await self._call("supplementCase", "QUERY", case)
        return translate.leg_state(self._vocab, body, province=self.config.code)

    async def withdraw(self, item: str, reference: str) -> LegState:
        body = await self._call("withdrawCase", "QUERY", self._case(reference))
        return translate.leg_state(self._vocab, body, province=self.config.code)

    async def query(self, item: str, conditions: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = (await self.query_wire(item, conditions)).canonical()
        return result

    async def query_wire(self, item: str, conditions: dict[str, Any]) -> WireAnswer:
        local = binding(self.config, item).local_code
        query = Element("Query")
        for key, value in self._vocab.to_wire(conditions).items():
            xml.append(query, key, value)
        body = await self._call("queryData", local, query)
        result = body.find("Result")
        if result is None:
            raise UpstreamProtocolError(
                "queryData answer has no <Result>", province=self.config.code
            )
        raw = xml.read(result)
        return WireAnswer(raw if isinstance(raw, dict) else {}, self._vocab)

    async def ping(self) -> None:
        await self._call("ping", "PING", None)

    @staticmethod
    def _case(reference: str) -> Element:
        case = Element("Case")
        SubElement(case, "CaseNo").text = reference
        return case

    async def _call(
        self,
        operation: str,
        business_type: str,
        body: Element | None,
        *,
        collaboration_id: str | None = None,
    ) -> Element:
        payload = translate.package(
            sender=self.config.secret("sender_code"),
            receiver=self.config.secret("receiver_code"),
            secret=self.config.secret("secret"),
            business_type=business_type,
            collaboration_id=collaboration_id or uuid.uuid4().hex,
            body=body,
            now=dt.datetime.now(dt.UTC),
        )
        request = request_build.build(
            self._http,
            "POST",
            endpoint(self.config.base_url, _PATH),
            payload,
            {"Content-Type": "text/xml; charset=GBK", "SOAPAction": f'"{operation}"'},
        )
        response = await send(
            self._http, request, province=self.config.code, deadline=self.config.timeout_seconds
        )
        return translate.answer_body(
            response.content, response.status_code, province=self.config.code
        )
