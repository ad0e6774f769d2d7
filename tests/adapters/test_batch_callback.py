"""The batch/callback family against respx-mocked endpoints: batches, HTTP errors, callbacks."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import respx

from adapters.base import (
    CallbackReceiver,
    ItemBinding,
    ProvinceAdapter,
    ProvinceConfig,
    SubmitRequest,
)
from adapters.batch_callback import family
from adapters.batch_callback.client import BatchCallbackAdapter
from adapters.errors import (
    CaseNotFound,
    ItemNotServed,
    UpstreamAuthFailed,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from gateway.registry import discover_families
from schemas._status import CaseStatus

BASE = "http://xj.example/650000"
SECRET = "xj-secret"
CONFIG = ProvinceConfig(
    code="650000",
    family="batch_callback",
    base_url=BASE,
    timeout_seconds=2,
    credentials={"client_id": "tb-xj", "client_secret": SECRET},
    items={
        "social-insurance-contributions": ItemBinding(local_code="XJ-SB-01"),
        "unemployment-registration": ItemBinding(local_code="XJ-JY-02"),
    },
)
BASIC = "Basic " + base64.b64encode(b"tb-xj:xj-secret").decode()
NOW = 1_709_256_600  # 2024-03-01 09:30:00 Beijing time
TICKET = {
    "ticket": "T1",
    "serialNo": "S1",
    "status": "PENDING",
    "statusName": "已接收待处理",
    "reason": None,
    "updatedAt": "2024-03-01T09:30:00+08:00",
    "result": None,
}
REQUEST = SubmitRequest(
    item="unemployment-registration",
    serial="S1",
    data={
        "applicant": {"name": "张三", "id_number": "11010519491231002X"},
        "unemployment_date": "2024-03-01",
    },
)


def bind(config: ProvinceConfig, http: httpx.AsyncClient) -> BatchCallbackAdapter:
    adapter = family.bind(config, http)
    adapter.clock = lambda: NOW
    return adapter


def error(status: int, code: str, message: str = "") -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": message}})


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


async def test_the_family_is_discoverable_and_keeps_both_contracts(
    http: httpx.AsyncClient,
) -> None:
    assert discover_families()["batch_callback"] is family
    assert family.required_credentials == ("client_id", "client_secret")
    assert family.status_codes["NEED_SUPPLEMENT"] is CaseStatus.correction_requested
    adapter = family.bind(CONFIG, http)
    assert isinstance(adapter, ProvinceAdapter)
    assert isinstance(adapter, CallbackReceiver)


async def test_submit_sends_a_batch_of_one(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE, assert_all_called=True) as mock:
        route = mock.post("/batches").respond(
            202,
            json={
                "batchNo": "S1",
                "accepted": [{"serialNo": "S1", "ticket": "T1", "status": "PENDING"}],
                "rejected": [],
            },
        )
        state = await bind(CONFIG, http).submit(
            REQUEST.model_copy(update={"related_reference": "T0"})
        )
    assert state.reference == "T1"
    assert state.status is CaseStatus.received
    assert state.provincial_code == "PENDING"
    request = route.calls.last.request
    assert request.headers["authorization"] == BASIC
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "batchNo": "S1",
        "items": [
            {
                "serialNo": "S1",
                "itemCode": "XJ-JY-02",
                "relatedRef": "T0",
                "payload": {
                    "shenqingren": {"xingming": "张三", "zhengjianhaoma": "11010519491231002X"},
                    "unemployment_date": "20240301",
                },
            }
        ],
    }


@pytest.mark.parametrize(
    ("code", "error_type"),
    [
        ("E1005", ItemNotServed),
        ("E1001", UpstreamRejected),
        ("E7777", UpstreamProtocolError),
    ],
)
async def test_a_refused_item_raises_its_error(
    http: httpx.AsyncClient, code: str, error_type: type[Exception]
) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.post("/batches").respond(
            202,
            json={
                "batchNo": "S1",
                "accepted": [],
                "rejected": [{"serialNo": "S1", "code": code, "message": "refused"}],
            },
        )
        with pytest.raises(error_type) as caught:
            await bind(CONFIG, http).submit(REQUEST)
    assert getattr(caught.value, "code", None) == code


@pytest.mark.parametrize(
    "answer",
    [
        {"batchNo": "S1", "accepted": [{"serialNo": "OTHER", "ticket": "T9"}], "rejected": []},
        {"batchNo": "S1", "accepted": "T1"},
        {"batchNo": "S1", "accepted": [{"serialNo": "S1", "status": "PENDING"}]},
        [1],
    ],
)
async def test_a_batch_answer_without_our_ticket_breaks_the_protocol(
    http: httpx.AsyncClient, answer: object
) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.post("/batches").respond(202, json=answer)
        with pytest.raises(UpstreamProtocolError):
            await bind(CONFIG, http).submit(REQUEST)


async def test_status_polls_the_ticket_and_translates_the_result(
    http: httpx.AsyncClient,
) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/tickets/T1").respond(
            json={
                **TICKET,
                "status": "APPROVED",
                "statusName": "办结·准予",
                "updatedAt": "2024-03-02T10:00:00+08:00",
                "result": {
                    "wenshubianhao": "W1",
                    "banjieriqi": "20240302",
                    "jieguoshuoming": "准予",
                    "shiyedengjibianhao": "R1",
                    "dengjiriqi": "20240301",
                },
            }
        )
        state = await bind(CONFIG, http).status("unemployment-registration", "T1")
    assert route.calls.last.request.headers["authorization"] == BASIC
    assert state.status is CaseStatus.approved
    assert state.description == "办结·准予"
    assert state.updated_at == dt.datetime(2024, 3, 2, 2, 0, tzinfo=dt.UTC)
    assert state.result == {
        "decision_number": "W1",
        "decided_on": "2024-03-02",
        "decision_text": "准予",
        "registration_number": "R1",
        "registered_on": "2024-03-01",
    }


async def test_query_translates_both_ways_with_compact_months(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/lookups/XJ-SB-01").respond(
            json={
                "data": {
                    "jilu": [
                        {
                            "nianyue": "202401",
                            "xianzhong": "110",
                            "jishu": "6000.00",
                            "danweijiaofei": "960.00",
                            "gerenjiaofei": "480.00",
                            "danweimingcheng": "乌鲁木齐某某公司",
                        }
                    ],
                    "jiaofeiyueshu": 1,
                }
            }
        )
        result = await bind(CONFIG, http).query(
            "social-insurance-contributions",
            {
                "person": {"name": "张三", "id_number": "11010519491231002X"},
                "from_month": "2015-01",
                "to_month": "2024-12",
                "insurance_types": ["pension"],
            },
        )
    assert json.loads(route.calls.last.request.content) == {
        "conditions": {
            "chaxunren": {"xingming": "张三", "zhengjianhaoma": "11010519491231002X"},
            "qishinianyue": "201501",
            "jiezhinianyue": "202412",
            "xianzhong": ["110"],
        }
    }
    assert result == {
        "records": [
            {
                "month": "2024-01",
                "insurance_type": "pension",
                "base": "6000.00",
                "employer_amount": "960.00",
                "personal_amount": "480.00",
                "employer_name": "乌鲁木齐某某公司",
            }
        ],
        "months_paid": 1,
    }


async def test_province_overrides_win_over_the_family_vocabulary(
    http: httpx.AsyncClient,
) -> None:
    config = CONFIG.model_copy(
        update={
            "outbound": {"id_number": "shenfenzhenghao"},
            "inbound": {"xz": "insurance_type"},
            "code_tables": {"insurance_type": {"pension": "A1"}},
        }
    )
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/lookups/XJ-SB-01").respond(json={"data": {"jilu": [{"xz": "A1"}]}})
        result = await bind(config, http).query(
            "social-insurance-contributions", {"person": {"id_number": "X"}}
        )
    assert json.loads(route.calls.last.request.content) == {
        "conditions": {"chaxunren": {"shenfenzhenghao": "X"}}
    }
    assert result == {"records": [{"insurance_type": "pension"}]}


async def test_supplement_and_withdraw(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE, assert_all_called=True) as mock:
        supplement = mock.post("/tickets/T1/supplement").respond(
            json={**TICKET, "status": "PROCESSING"}
        )
        withdraw = mock.post("/tickets/T1/withdraw").respond(json={**TICKET, "status": "WITHDRAWN"})
        adapter = bind(CONFIG, http)
        supplemented = await adapter.supplement("x", "T1", {"address": "乌鲁木齐市"})
        withdrawn = await adapter.withdraw("x", "T1")
    assert supplemented.status is CaseStatus.in_review
    assert withdrawn.status is CaseStatus.cancelled
    assert json.loads(supplement.calls.last.request.content) == {"payload": {"dizhi": "乌鲁木齐市"}}
    assert withdraw.calls.last.request.headers["authorization"] == BASIC


@pytest.mark.parametrize("answer", [httpx.Response(204), httpx.Response(200, json={"ok": True})])
async def test_an_answer_without_the_ticket_is_followed_by_a_poll(
    http: httpx.AsyncClient, answer: httpx.Response
) -> None:
    with respx.mock(base_url=BASE, assert_all_called=True) as mock:
        mock.post("/tickets/T1/withdraw").mock(return_value=answer)
        mock.get("/tickets/T1").respond(json={**TICKET, "status": "WITHDRAWN"})
        state = await bind(CONFIG, http).withdraw("x", "T1")
    assert state.status is CaseStatus.cancelled


async def test_references_cannot_change_the_route(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/tickets/a%2Fb%3Fc").respond(json={**TICKET, "ticket": "a/b?c"})
        state = await bind(CONFIG, http).status("x", "a/b?c")
    assert route.called
    assert state.reference == "a/b?c"


@pytest.mark.parametrize(
    ("response", "error_type", "code"),
    [
        (error(400, "E1001", "payload.shenqingren.xingming"), UpstreamRejected, "E1001"),
        (error(401, "E1002", "authentication failed"), UpstreamAuthFailed, "E1002"),
        (error(404, "E1004", "ticket not found"), CaseNotFound, "E1004"),
        (error(409, "E1009", "not allowed"), UpstreamRejected, "E1009"),
        (error(422, "E1005", "item not open"), ItemNotServed, "E1005"),
        (error(429, "E4029"), UpstreamUnavailable, "E4029"),
        (error(503, "E5003", "intake window closed"), UpstreamUnavailable, "E5003"),
        (error(500, "E5000"), UpstreamUnavailable, "E5000"),
        (httpx.Response(401), UpstreamAuthFailed, "E1002"),
        (httpx.Response(404, text="Not Found"), CaseNotFound, "E1004"),
        (httpx.Response(502, text="<html>bad gateway</html>"), UpstreamUnavailable, "E5000"),
        (httpx.Response(503, text="maintenance"), UpstreamUnavailable, "E5003"),
        (error(400, "E9999"), UpstreamRejected, "E1001"),
        (httpx.Response(403, text="forbidden"), UpstreamProtocolError, None),
        (httpx.Response(200, text="<html>login</html>"), UpstreamProtocolError, None),
        (httpx.Response(200, json={**TICKET, "status": "LOST"}), UpstreamProtocolError, "LOST"),
        (httpx.Response(200, json=[TICKET]), UpstreamProtocolError, None),
    ],
)
async def test_error_mapping(
    http: httpx.AsyncClient,
    response: httpx.Response,
    error_type: type[Exception],
    code: str | None,
) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.get("/tickets/T1").mock(return_value=response)
        with pytest.raises(error_type) as caught:
            await bind(CONFIG, http).status("x", "T1")
    assert getattr(caught.value, "province", None) == "650000"
    assert getattr(caught.value, "code", None) == code


async def test_timeouts_and_connection_errors_are_mapped(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/tickets/T1")
        route.side_effect = httpx.ReadTimeout
        with pytest.raises(UpstreamTimeout):
            await bind(CONFIG, http).status("x", "T1")
        route.side_effect = httpx.ConnectError
        with pytest.raises(UpstreamUnavailable):
            await bind(CONFIG, http).status("x", "T1")


async def test_ping_checks_health(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/health").mock(
            side_effect=[
                httpx.Response(200, json={"status": "ok"}),
                httpx.Response(200, json={"status": "degraded"}),
            ]
        )
        adapter = bind(CONFIG, http)
        await adapter.ping()
        with pytest.raises(UpstreamUnavailable):
            await adapter.ping()
    assert route.calls.last.request.headers["authorization"] == BASIC


async def test_item_without_binding_is_not_served(http: httpx.AsyncClient) -> None:
    with pytest.raises(ItemNotServed):
        await bind(CONFIG, http).query("pension-transfer-employee", {})


async def test_subscribe_registers_the_callback_url(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.put("/subscription").respond(json={"callbackUrl": "https://tb/cb/650000"})
        await bind(CONFIG, http).subscribe("https://tb/cb/650000")
    request = route.calls.last.request
    assert request.headers["authorization"] == BASIC
    assert json.loads(request.content) == {"callbackUrl": "https://tb/cb/650000"}


async def test_a_refused_subscription_is_mapped(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.put("/subscription").mock(return_value=error(400, "E1001", "callbackUrl"))
        with pytest.raises(UpstreamRejected):
            await bind(CONFIG, http).subscribe("ftp://nope")


# -- callbacks ------------------------------------------------------------------------------

CALLBACK = json.dumps(
    {
        **TICKET,
        "status": "NEED_SUPPLEMENT",
        "statusName": "需补正",
        "reason": "缺少劳动合同解除证明",
    },
    ensure_ascii=False,
).encode()


def signed(
    body: bytes,
    *,
    timestamp: int = NOW,
    secret: str = SECRET,
    province: str = "650000",
) -> dict[str, str]:
    message = f"{timestamp}\n".encode() + body
    return {
        "Content-Type": "application/json",
        "X-Province": province,
        "X-Timestamp": str(timestamp),
        "X-Signature": hmac.new(secret.encode(), message, "sm3").hexdigest(),
    }


def test_a_signed_fresh_callback_becomes_a_leg_state(http: httpx.AsyncClient) -> None:
    state = bind(CONFIG, http).verify_callback(signed(CALLBACK), CALLBACK)
    assert state.reference == "T1"
    assert state.status is CaseStatus.correction_requested
    assert state.reason == "缺少劳动合同解除证明"
    assert state.updated_at == dt.datetime(2024, 3, 1, 1, 30, tzinfo=dt.UTC)


def test_header_names_are_case_insensitive(http: httpx.AsyncClient) -> None:
    headers = {name.lower(): value for name, value in signed(CALLBACK).items()}
    assert bind(CONFIG, http).verify_callback(headers, CALLBACK).reference == "T1"


@pytest.mark.parametrize("skew", [-300, 300])
def test_the_window_is_inclusive(http: httpx.AsyncClient, skew: int) -> None:
    headers = signed(CALLBACK, timestamp=NOW + skew)
    assert bind(CONFIG, http).verify_callback(headers, CALLBACK).reference == "T1"


def _tampered() -> dict[str, str]:
    headers = signed(CALLBACK)
    headers["X-Signature"] = "0" * 64
    return headers


def _without(name: str) -> dict[str, str]:
    headers = signed(CALLBACK)
    del headers[name]
    return headers


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        pytest.param(_tampered(), CALLBACK, id="bad-signature"),
        pytest.param(signed(CALLBACK, secret="other"), CALLBACK, id="wrong-secret"),
        pytest.param(signed(CALLBACK), CALLBACK.replace(b"T1", b"T2"), id="body-changed"),
        pytest.param(signed(CALLBACK, timestamp=NOW - 301), CALLBACK, id="stale"),
        pytest.param(signed(CALLBACK, timestamp=NOW + 301), CALLBACK, id="future"),
        pytest.param(signed(CALLBACK, province="440000"), CALLBACK, id="wrong-province"),
        pytest.param(_without("X-Province"), CALLBACK, id="no-province"),
        pytest.param(_without("X-Signature"), CALLBACK, id="no-signature"),
        pytest.param(_without("X-Timestamp"), CALLBACK, id="no-timestamp"),
        pytest.param(
            {**signed(CALLBACK), "X-Timestamp": "yesterday"}, CALLBACK, id="bad-timestamp"
        ),
        pytest.param({**signed(CALLBACK), "X-Signature": "签名"}, CALLBACK, id="non-ascii"),
    ],
)
def test_unauthentic_callbacks_are_refused(
    http: httpx.AsyncClient, headers: dict[str, str], body: bytes
) -> None:
    with pytest.raises(UpstreamAuthFailed):
        bind(CONFIG, http).verify_callback(headers, body)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        json.dumps({**TICKET, "status": "LOST"}).encode(),
        json.dumps({"status": "PENDING"}).encode(),
    ],
)
def test_malformed_signed_callbacks_break_the_protocol(
    http: httpx.AsyncClient, body: bytes
) -> None:
    with pytest.raises(UpstreamProtocolError):
        bind(CONFIG, http).verify_callback(signed(body), body)
