"""Record the sandbox's real answers, to be replayed by a canned upstream.

The Python sandbox serves a few thousand requests a second at best: as the upstream of a
throughput comparison it would cap every contestant at its own speed and hide what each
adds. So the benchmark asks the real sandbox once, through the gateway's own adapter (the
exact requests the gateway makes), and replays the answers from nginx (``return 200``):
the upstream then costs next to nothing and the same for every contestant.
"""

from __future__ import annotations

import asyncio
import tomllib
from dataclasses import dataclass
from typing import Any

import httpx

from adapters.base import ProvinceConfig, SubmitRequest
from adapters.rest_oauth import family
from bench.common import REPO
from gateway.catalogue import Catalogue

QUERY_ITEM = "social-insurance-contributions"
APPLICATION_ITEM = "unemployment-registration"
PERSON = {"name": "张三", "id_number": "11010519491231002X"}
APPLICATION = {
    "applicant": {**PERSON, "phone": "13800138000"},
    "competent_province": "440000",
    "residence_address": "广东省广州市天河区体育西路1号",
    "unemployment_date": "2024-03-01",
    "reason": "contract-ended",
}


@dataclass
class Exchange:
    method: str
    path: str
    request_headers: dict[str, str]
    request_body: str
    status: int
    content_type: str
    body: str


@dataclass
class Recording:
    query: dict[str, Any]  # the canonical query (gateway request body for one province)
    token: Exchange
    lookup: Exchange
    submit: Exchange
    status: Exchange  # the case closed, with its result

    def canned(self) -> dict[str, tuple[str, str]]:
        """nginx location regex → (content type, body)."""
        return {
            r"^/\d{6}/oauth/token$": (self.token.content_type, self.token.body),
            r"^/\d{6}/api/v1/cx/": (self.lookup.content_type, self.lookup.body),
            r"^/\d{6}/api/v1/bj/sb$": (self.submit.content_type, self.submit.body),
            r"^/\d{6}/api/v1/bj/": (self.status.content_type, self.status.body),
            r"^/\d{6}/api/v1/ping$": ("application/json", '{"code": "0000"}'),
        }


def province_440000(base_url: str) -> ProvinceConfig:
    with (REPO / "adapters" / "provinces" / "440000.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return ProvinceConfig.model_validate({**raw, "base_url": base_url})


async def record(sandbox: str) -> Recording:
    exchanges: list[Exchange] = []

    async def keep(response: httpx.Response) -> None:
        await response.aread()
        request = response.request
        exchanges.append(
            Exchange(
                request.method,
                request.url.path,
                {k: v for k, v in request.headers.items() if k in ("authorization",)},
                request.content.decode(),
                response.status_code,
                response.headers.get("content-type", "application/json").split(";")[0],
                response.text,
            )
        )

    catalogue = Catalogue.load()
    query_item, application_item = catalogue.get(QUERY_ITEM), catalogue.get(APPLICATION_ITEM)
    assert query_item is not None
    assert application_item is not None
    application = application_item.request_model.model_validate(APPLICATION)
    async with httpx.AsyncClient(event_hooks={"response": [keep]}, timeout=10) as http:
        await http.put(f"{sandbox}/_sandbox/config", json={"outcomes": {"approved": 1}})
        adapter = family.bind(province_440000(f"{sandbox}/440000"), http)
        # A one-year window of the person's records (as the item's own example asks): the
        # whole history can run to 600 records and 50 KB, which would measure JSON copying.
        full = query_item.request_model.model_validate({"person": PERSON, "provinces": ["440000"]})
        everything = await adapter.query(
            QUERY_ITEM, full.model_dump(mode="json", exclude_none=True)
        )
        first = min(r["month"] for r in everything["records"])
        year, month = int(first[:4]), int(first[5:7])
        last = f"{year + (month + 10) // 12:04d}-{(month + 10) % 12 + 1:02d}"
        window = {"person": PERSON, "provinces": ["440000"], "from_month": first, "to_month": last}
        query = query_item.request_model.model_validate(window)
        exchanges[:] = [e for e in exchanges if e.path.endswith("/oauth/token")]
        await adapter.query(QUERY_ITEM, query.model_dump(mode="json", exclude_none=True))
        state = await adapter.submit(
            SubmitRequest(
                item=APPLICATION_ITEM,
                serial="BENCH-RECORD-0001",
                data=application.model_dump(mode="json", exclude_none=True),
            )
        )
        for _ in range(200):
            state = await adapter.status(APPLICATION_ITEM, state.reference)
            if state.result is not None:
                break
            await asyncio.sleep(0.05)
    token = next(e for e in exchanges if e.path.endswith("/oauth/token"))
    lookup = next(e for e in exchanges if "/api/v1/cx/" in e.path)
    submit = next(e for e in exchanges if e.path.endswith("/api/v1/bj/sb"))
    status = [e for e in exchanges if e.method == "GET" and "/api/v1/bj/" in e.path][-1]
    return Recording(window, token, lookup, submit, status)
