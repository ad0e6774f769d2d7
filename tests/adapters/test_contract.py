"""The conformance kit, run for every configured province against its sandbox over HTTP.

Each province's configuration file is used as shipped, with only its base URL pointed at
the sandbox server hosting it. ``tongban adapters check`` runs the same checks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.conformance import CHECKS, CheckFailed, Subject
from gateway.registry import discover_families, load_province_files
from gateway.settings import Settings
from schemas._model import Kind
from tests.conftest import Sandboxes

PROVINCES = {c.code: c for c in load_province_files(Settings(environment="test").provinces_dir)}
FAMILIES = discover_families()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.mark.parametrize("check", [name for name, _ in CHECKS])
@pytest.mark.parametrize("province", sorted(PROVINCES))
async def test_contract(
    province: str, check: str, fresh_sandboxes: Sandboxes, http: httpx.AsyncClient
) -> None:
    config = PROVINCES[province]
    url = fresh_sandboxes.overrides()[province]
    subject = Subject(config.model_copy(update={"base_url": url}), FAMILIES[config.family], http)
    run = dict(CHECKS)[check]
    try:
        detail = await run(subject)
    except CheckFailed as exc:
        pytest.fail(f"{province} {check}: {exc}")
    if check == "query":  # the sandbox's answers all read in one pass (gateway.wire_json)
        answered = sum(1 for i in subject.items(Kind.query))
        assert f"({answered} read in one pass" in detail, detail
