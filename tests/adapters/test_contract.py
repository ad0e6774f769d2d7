"""The adapter contract, run against every configured province's sandbox over real HTTP.

Each province's own configuration file is used as shipped, with only its base URL pointed
at the sandbox server hosting it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.base import ItemBinding, ProvinceAdapter, ProvinceConfig, SubmitRequest
from adapters.errors import CaseNotFound, ItemNotServed, UpstreamAuthFailed
from gateway.registry import discover_families, load_province_files
from gateway.settings import Settings
from schemas._status import CaseStatus
from schemas.hrss import ContributionResult
from tests.conftest import Sandboxes

PROVINCES = {c.code: c for c in load_province_files(Settings(environment="test").provinces_dir)}
FAMILIES = discover_families()
APPLICANT = {"name": "王小明", "id_number": "11010519491231002X", "phone": "13800138000"}


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def bind(
    config: ProvinceConfig, sandboxes: Sandboxes, http: httpx.AsyncClient, **changes: object
) -> ProvinceAdapter:
    url = sandboxes.overrides()[config.code]
    return FAMILIES[config.family].bind(
        config.model_copy(update={"base_url": url, **changes}), http
    )


@pytest.fixture(params=sorted(PROVINCES))
def config(request: pytest.FixtureRequest) -> ProvinceConfig:
    return PROVINCES[request.param]


async def test_ping(
    config: ProvinceConfig, fresh_sandboxes: Sandboxes, http: httpx.AsyncClient
) -> None:
    await bind(config, fresh_sandboxes, http).ping()


async def test_submit_is_idempotent_by_serial(
    config: ProvinceConfig, fresh_sandboxes: Sandboxes, http: httpx.AsyncClient
) -> None:
    adapter = bind(config, fresh_sandboxes, http)
    request = SubmitRequest(
        item="unemployment-registration",
        serial=f"TB{uuid.uuid4().hex}",
        data={
            "applicant": APPLICANT,
            "competent_province": config.code,
            "unemployment_date": "2024-03-01",
            "reason": "contract-ended",
        },
    )
    first = await adapter.submit(request)
    again = await adapter.submit(request)
    assert first.reference == again.reference
    assert first.status is CaseStatus.received
    state = await adapter.status(request.item, first.reference)
    assert state.reference == first.reference
    assert state.status in set(CaseStatus)
    stats = await fresh_sandboxes.stats()
    family_stats = stats["rest" if config.family == "rest_oauth" else "soap"]
    assert family_stats["by_province"][config.code]["cases"] == 1


async def test_withdraw_closes_the_case(
    config: ProvinceConfig, fresh_sandboxes: Sandboxes, http: httpx.AsyncClient
) -> None:
    adapter = bind(config, fresh_sandboxes, http)
    state = await adapter.submit(
        SubmitRequest(
            item="unemployment-registration",
            serial=f"TB{uuid.uuid4().hex}",
            data={"applicant": APPLICANT, "competent_province": config.code},
        )
    )
    withdrawn = await adapter.withdraw("unemployment-registration", state.reference)
    assert withdrawn.status is CaseStatus.cancelled


async def test_query_answers_match_the_unified_result(
    config: ProvinceConfig, fresh_sandboxes: Sandboxes, http: httpx.AsyncClient
) -> None:
    adapter = bind(config, fresh_sandboxes, http)
    raw = await adapter.query(
        "social-insurance-contributions",
        {
            "person": {"name": "王小明", "id_number": "11010519491231002X"},
            "from_month": "2015-01",
            "to_month": "2024-12",
            "insurance_types": ["pension"],
        },
    )
    result = ContributionResult.model_validate(raw)
    assert all(r.insurance_type == "pension" for r in result.records)
    assert result.months_paid == len({r.month for r in result.records})


async def test_unknown_reference_is_case_not_found(
    config: ProvinceConfig, fresh_sandboxes: Sandboxes, http: httpx.AsyncClient
) -> None:
    with pytest.raises(CaseNotFound):
        await bind(config, fresh_sandboxes, http).status("unemployment-registration", "NOPE1")


async def test_unserved_local_code_is_item_not_served(
    config: ProvinceConfig, fresh_sandboxes: Sandboxes, http: httpx.AsyncClient
) -> None:
    adapter = bind(
        config,
        fresh_sandboxes,
        http,
        items={"unemployment-registration": ItemBinding(local_code="NO-SUCH")},
    )
    with pytest.raises(ItemNotServed):
        await adapter.submit(
            SubmitRequest(
                item="unemployment-registration",
                serial=f"TB{uuid.uuid4().hex}",
                data={"applicant": APPLICANT},
            )
        )


async def test_wrong_credentials_are_refused(
    config: ProvinceConfig, fresh_sandboxes: Sandboxes, http: httpx.AsyncClient
) -> None:
    wrong = {
        key: "wrong" if "secret" in key else value for key, value in config.credentials.items()
    }
    with pytest.raises(UpstreamAuthFailed):
        await bind(config, fresh_sandboxes, http, credentials=wrong).status("x", "NOPE1")
