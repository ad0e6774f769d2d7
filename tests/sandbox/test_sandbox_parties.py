"""Parties anywhere, provinces' own spellings, wire styles, runs and the batch worker."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
import pytest

from sandbox.data import ContributionData
from sandbox.engine import CaseEngine
from sandbox.lifecycle import Status
from sandbox.parties import Party, PartyMissing, RefusedKey, check_spelling, find_party
from sandbox.provinces import load_catalog
from sandbox.settings import ConfigStore, Settings
from sandbox.soap_gbk.xmlio import child, to_element, to_value
from sandbox.testing import create_app, read_soap_answer, running_server, soap_headers, soap_request
from sandbox.wire import STYLES, Month, render

CATALOG = load_catalog()
ID = "11010519491231002X"
CREDIT = "91440101MA5CN1X9A2"


def test_party_found_at_any_depth() -> None:
    vocab = CATALOG.provinces["440000"].vocab
    assert find_party({"sqr": {"xm": "张三", "sfzh": ID}}, vocab) == Party("张三", ID)
    org = find_party({"sqdw": {"dwmc": "某公司", "tyshxydm": CREDIT}}, vocab)
    assert (org.identifier, org.organisation, org.addressed_as) == (CREDIT, True, "申请单位")
    couple = {"parties": [{"xm": "甲", "sfzh": "A" * 18}, {"xm": "乙", "sfzh": "B" * 18}]}
    assert find_party(couple, vocab).name == "甲"
    # The applicant comes first, wherever it sits in the object.
    both = {"child": {"xm": "孩子", "sfzh": "C" * 18}, "sqr": {"xm": "家长", "sfzh": ID}}
    assert find_party(both, vocab).name == "家长"
    with pytest.raises(PartyMissing):
        find_party({"sqr": {"xm": "张三", "lxdh": "13800138000"}}, vocab)


def test_own_spellings_refuse_the_common_one() -> None:
    henan = CATALOG.provinces["410000"].vocab
    assert henan["id_number"] == "ZJHM"
    assert henan.refused == {"SFZH": "ZJHM"}
    assert find_party({"SQR": {"XM": "张三", "ZJHM": ID}}, henan).identifier == ID
    with pytest.raises(RefusedKey):
        check_spelling({"SQR": {"XM": "张三", "SFZH": ID}}, henan)
    check_spelling({"SQR": {"XM": "张三", "SFZH": ID}}, CATALOG.provinces["510000"].vocab)


def test_wire_styles() -> None:
    tree: dict[str, Any] = {
        "records": [{"month": Month(2024, 3), "base": Decimal("8000")}],
        "issued_on": dt.date(2024, 3, 5),
        "expected_graduation": dt.date(2027, 6, 30),  # a date its name does not announce
        "paid_up_to": Month(2024, 5),
        "empty": [],
        "missing": None,
        "inpatient": True,
    }
    rest = render(tree, CATALOG.provinces["440000"].vocab, STYLES["rest_oauth"])
    # Every date and month in the family's form, whatever its key says.
    assert rest == {
        "jl": [{"ny": "202403", "jfjs": "8000.00"}],
        "issued_on": "20240305",
        "expected_graduation": "20270630",
        "paid_up_to": "202405",
        "empty": [],
        "inpatient": True,
    }
    soap = render(tree, CATALOG.provinces["510000"].vocab, STYLES["soap_gbk"])
    assert soap == {
        "JL": [{"NY": "202403", "JFJS": "8000.00"}],
        "ISSUED_ON": "20240305",
        "EXPECTED_GRADUATION": "20270630",
        "PAID_UP_TO": "202405",
        "INPATIENT": True,
    }
    form = render(tree, CATALOG.provinces["330000"].vocab, STYLES["form_sm3"])
    assert form == {
        "list": [{"payMonth": "2024-03", "payBase": "8000.00"}],
        "issued_on": "2024-03-05",
        "expected_graduation": "2027-06-30",
        "paid_up_to": "2024-05",
        "empty": [],
        "inpatient": True,
    }


def test_runs_move_one_step_and_tell_listeners() -> None:
    provinces = CATALOG.hosted_by("batch_callback")
    base = Settings(
        step_seconds=1.0,
        outcomes={"correction": 1.0},
        latency_ms=0,
        error_rate=0.0,
        hang=False,
        token_ttl_seconds=600,
        correction_wait_steps=2,
    )
    config = ConfigStore(base, {code: {} for code in provinces})
    engine = CaseEngine(provinces, config.effective, ContributionData("202512"), progression="runs")
    heard: list[Status] = []
    engine.listeners.append(lambda case: heard.append(case.status))
    item = next(i for i in provinces["120000"].items.values() if not i.kind.query)
    case, _ = engine.submit("120000", serial="s", item=item, party=Party("张三", ID), data={})
    assert engine.get("120000", case.reference).status is Status.received  # time alone: nothing
    moved = [engine.run("120000") for _ in range(5)]
    assert moved == [1, 1, 0, 1, 0]
    assert heard == [Status.accepted, Status.correction_requested, Status.not_accepted]
    assert engine.run("150000") == 0


# --- over HTTP: rest_oauth and soap_gbk --------------------------------------------------


async def rest_token(rest: httpx.AsyncClient, code: str) -> dict[str, str]:
    auth = CATALOG.provinces[code].auth
    grant = {
        "grant_type": "client_credentials",
        "client_id": auth["client_id"],
        "client_secret": auth["client_secret"],
    }
    token = (await rest.post(f"/{code}/oauth/token", data=grant)).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def application(code: str) -> str:
    return next(c for c, i in CATALOG.provinces[code].items.items() if not i.kind.query)


async def test_rest_parties_and_spellings(rest: httpx.AsyncClient) -> None:
    js = await rest_token(rest, "320000")

    async def submit(serial: str, bdsj: dict[str, Any]) -> dict[str, Any]:
        body = {"sxbm": application("320000"), "ywlsh": serial, "bdsj": bdsj}
        answer: dict[str, Any] = (
            await rest.post("/320000/api/v1/bj/sb", json=body, headers=js)
        ).json()
        return answer

    refused = await submit("a", {"sqr": {"xm": "张三", "sfzh": ID, "lxdh": "13800138000"}})
    assert refused["code"] == "1001"
    assert "lxdh" in refused["msg"]
    assert "sjhm" in refused["msg"]
    accepted = await submit("b", {"sqr": {"xm": "张三", "sfzh": ID, "sjhm": "13800138000"}})
    assert accepted["code"] == "0000"
    org = await submit("c", {"sqdw": {"xm": "某公司", "tyshxydm": CREDIT}})
    assert org["code"] == "0000"
    nested = await submit("d", {"nanfang": {"xm": "甲", "sfzh": ID}, "nvfang": {"xm": "乙"}})
    assert nested["code"] == "0000"
    nobody = await submit("e", {"sqr": {"xm": "张三"}})
    assert nobody["code"] == "1001"
    assert "sfzh" in nobody["msg"]


async def test_soap_parties_and_spellings(soap: httpx.AsyncClient) -> None:
    auth = CATALOG.provinces["410000"].auth

    async def submit(cid: str, data: dict[str, Any]) -> dict[str, str]:
        raw = soap_request(
            application("410000"),
            to_element("Case", {"Data": data}),
            collaboration_id=cid,
            receiver=auth["receiver_code"],
            secret=auth["senders"]["TONGBAN0001"],
        )
        answer = await soap.post(
            "/410000/services/XzfwService", content=raw, headers=soap_headers("submitCase")
        )
        return read_soap_answer(answer.content).head

    refused = await submit("h1", {"SQR": {"XM": "张三", "SFZH": ID}})
    assert refused["ReturnCode"] == "2001"
    assert "ZJHM" in refused["ReturnMsg"]
    assert (await submit("h2", {"SQR": {"XM": "张三", "ZJHM": ID}}))["ReturnCode"] == "0"
    org = {"SQDW": {"XM": "某公司", "TYSHXYDM": CREDIT}}
    assert (await submit("h3", org))["ReturnCode"] == "0"


async def test_soap_leaves_empty_lists_out(soap: httpx.AsyncClient) -> None:
    for n in range(40):
        person = {"XM": "王五", "SFZH": f"51010719880808{n:03d}X"}
        raw = soap_request("SB01", to_element("Query", {"CXR": person}), collaboration_id="e")
        answer = await soap.post(
            "/510000/services/XzfwService", content=raw, headers=soap_headers("queryData")
        )
        result = to_value(child(read_soap_answer(answer.content).body, "Result"))  # type: ignore[arg-type]
        if result["JFYS"] == "0":
            assert result == {"JFYS": "0"}
            return
    raise AssertionError("nobody without records in 40 people")


# --- the batch worker's life -------------------------------------------------------------


@pytest.mark.parametrize("lifespan", ["on", "off"])
async def test_batch_worker_starts_and_stops(lifespan: str) -> None:
    app = create_app("batch_callback", step_seconds=0.02)
    worker = app.state.worker
    with running_server(app, lifespan=lifespan) as url:  # type: ignore[arg-type]
        if lifespan == "on":
            assert worker.started  # with the server
        async with httpx.AsyncClient(base_url=url) as client:
            await client.get("/_sandbox/health")
        assert worker.started  # at the latest with the first request
        await asyncio.sleep(0)
    assert not worker.started
