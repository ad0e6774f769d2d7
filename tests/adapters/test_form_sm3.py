"""The open-platform form family against respx-mocked endpoints: signature, envelope, codes."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from adapters.base import ItemBinding, ProvinceAdapter, ProvinceConfig, SubmitRequest
from adapters.errors import (
    CaseNotFound,
    ConfigurationError,
    ItemNotServed,
    UpstreamAuthFailed,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from adapters.form_sm3 import family
from adapters.form_sm3.client import FormSm3Adapter
from gateway.registry import discover_families
from schemas._status import CaseStatus

BASE = "http://zj.example/330000"
CONFIG = ProvinceConfig(
    code="330000",
    family="form_sm3",
    base_url=BASE,
    timeout_seconds=2,
    credentials={"app_key": "tb-zj", "app_secret": "zj-secret"},
    items={
        "social-insurance-contributions": ItemBinding(local_code="ZJ-SB-01"),
        "unemployment-registration": ItemBinding(local_code="ZJ-JY-02"),
    },
)
NOW = 1_709_256_600.25  # 2024-03-01 09:30:00.25 Beijing time
CASE = {"caseNo": "ZJ1", "status": "A0100", "statusName": "已收件"}


def ok(data: object) -> httpx.Response:
    return httpx.Response(200, json={"code": "0", "msg": "success", "data": data})


def form(request: httpx.Request) -> dict[str, str]:
    fields = parse_qs(request.content.decode(), keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in fields.values())
    return {name: values[0] for name, values in fields.items()}


def biz(request: httpx.Request) -> object:
    return json.loads(form(request)["bizContent"])


def bind(config: ProvinceConfig, http: httpx.AsyncClient) -> FormSm3Adapter:
    adapter = family.bind(config, http)
    adapter.clock = lambda: NOW
    return adapter


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


async def test_the_family_is_discoverable_and_keeps_the_contract(
    http: httpx.AsyncClient,
) -> None:
    assert discover_families()["form_sm3"] is family
    assert family.required_credentials == ("app_key", "app_secret")
    assert family.status_codes["A0502"] is CaseStatus.rejected
    assert isinstance(family.bind(CONFIG, http), ProvinceAdapter)


async def test_submit_posts_a_signed_form(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE, assert_all_called=True) as mock:
        route = mock.post("/open/api").mock(return_value=ok(CASE))
        state = await bind(CONFIG, http).submit(
            SubmitRequest(
                item="unemployment-registration",
                serial="S1",
                related_reference="ZJ0",
                data={
                    "applicant": {"name": "张三", "id_number": "11010519491231002X"},
                    "unemployment_date": "2024-03-01",
                    "reason": "contract-ended",
                },
            )
        )
    assert state.reference == "ZJ1"
    assert state.status is CaseStatus.received
    assert state.provincial_code == "A0100"
    assert state.description == "已收件"
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/x-www-form-urlencoded; charset=UTF-8"
    fields = form(request)
    assert set(fields) == {
        "appKey",
        "method",
        "timestamp",
        "nonce",
        "signMethod",
        "bizContent",
        "sign",
    }
    assert fields["appKey"] == "tb-zj"
    assert fields["method"] == "case.submit"
    assert fields["timestamp"] == "1709256600250"
    assert fields["signMethod"] == "HMAC-SM3"
    assert re.fullmatch(r"[A-Za-z0-9]{16,64}", fields["nonce"])
    # Recomputed from the spec, not with the adapter's own helper.
    canonical = "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "sign")
    expected = hmac.new(b"zj-secret", canonical.encode("utf-8"), "sm3").hexdigest()
    assert fields["sign"] == expected
    assert json.loads(fields["bizContent"]) == {
        "itemCode": "ZJ-JY-02",
        "bizSerial": "S1",
        "relatedNo": "ZJ0",
        "formData": {
            "applyUser": {"userName": "张三", "idCardNo": "11010519491231002X"},
            "unemployment_date": "2024-03-01",
            "reason": "contract-ended",
        },
    }


async def test_every_call_has_a_fresh_nonce(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/open/api").mock(return_value=ok({"pong": True}))
        adapter = bind(CONFIG, http)
        await adapter.ping()
        await adapter.ping()
    first, second = (form(call.request) for call in route.calls)
    assert first["method"] == "sys.ping"
    assert first["bizContent"] == "{}"
    assert first["nonce"] != second["nonce"]
    assert first["sign"] != second["sign"]


async def test_status_reads_result_and_beijing_time(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/open/api").mock(
            return_value=ok(
                {
                    **CASE,
                    "status": "A0501",
                    "statusName": "办结·准予",
                    "reason": None,
                    "updateTime": "2024-03-05 16:00:00",
                    "result": {
                        "docNo": "W1",
                        "finishDate": "2024-03-05",
                        "resultDesc": "准予登记",
                        "regNo": "R9",
                        "regDate": "2024-03-04",
                    },
                }
            )
        )
        state = await bind(CONFIG, http).status("unemployment-registration", "ZJ1")
    assert biz(route.calls.last.request) == {"caseNo": "ZJ1"}
    assert form(route.calls.last.request)["method"] == "case.status"
    assert state.status is CaseStatus.approved
    assert state.reason is None
    assert state.updated_at == dt.datetime(2024, 3, 5, 8, 0, tzinfo=dt.UTC)
    assert state.result == {
        "decision_number": "W1",
        "decided_on": "2024-03-05",
        "decision_text": "准予登记",
        "registration_number": "R9",
        "registered_on": "2024-03-04",
    }


async def test_query_translates_both_ways_with_iso_months(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/open/api").mock(
            return_value=ok(
                {
                    "list": [
                        {
                            "payMonth": "2024-01",
                            "insType": "110",
                            "payBase": "8000.00",
                            "unitPay": "1280.00",
                            "personPay": "640.00",
                            "unitName": "杭州某某公司",
                        }
                    ],
                    "payMonths": 1,
                }
            )
        )
        result = await bind(CONFIG, http).query(
            "social-insurance-contributions",
            {
                "person": {"name": "张三", "id_number": "11010519491231002X"},
                "from_month": "2015-01",
                "to_month": "2024-12",
                "insurance_types": ["pension", "medical"],
            },
        )
    assert form(route.calls.last.request)["method"] == "data.query"
    assert biz(route.calls.last.request) == {
        "itemCode": "ZJ-SB-01",
        "conditions": {
            "queryUser": {"userName": "张三", "idCardNo": "11010519491231002X"},
            "beginMonth": "2015-01",
            "endMonth": "2024-12",
            "insTypes": ["110", "310"],
        },
    }
    assert result == {
        "records": [
            {
                "month": "2024-01",
                "insurance_type": "pension",
                "base": "8000.00",
                "employer_amount": "1280.00",
                "personal_amount": "640.00",
                "employer_name": "杭州某某公司",
            }
        ],
        "months_paid": 1,
    }


async def test_province_overrides_win_over_the_family_vocabulary(
    http: httpx.AsyncClient,
) -> None:
    config = CONFIG.model_copy(
        update={
            "outbound": {"phone": "telNo"},
            "inbound": {"insCode": "insurance_type"},
            "code_tables": {"insurance_type": {"pension": "11"}},
        }
    )
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/open/api").mock(
            return_value=ok({"list": [{"insCode": "11"}], "payMonths": 1})
        )
        result = await bind(config, http).query(
            "social-insurance-contributions", {"person": {"phone": "13800138000"}}
        )
    assert biz(route.calls.last.request) == {
        "itemCode": "ZJ-SB-01",
        "conditions": {"queryUser": {"telNo": "13800138000"}},
    }
    assert result == {"records": [{"insurance_type": "pension"}], "months_paid": 1}


async def test_supplement_and_withdraw(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/open/api").mock(
            side_effect=[
                ok({**CASE, "status": "A0200"}),
                ok({**CASE, "status": "A0600"}),
            ]
        )
        adapter = bind(CONFIG, http)
        supplemented = await adapter.supplement("x", "ZJ1", {"address": "杭州市西湖区"})
        withdrawn = await adapter.withdraw("x", "ZJ1")
    assert supplemented.status is CaseStatus.in_review
    assert withdrawn.status is CaseStatus.cancelled
    first, second = (call.request for call in route.calls)
    assert form(first)["method"] == "case.supplement"
    assert biz(first) == {"caseNo": "ZJ1", "formData": {"addr": "杭州市西湖区"}}
    assert form(second)["method"] == "case.withdraw"
    assert biz(second) == {"caseNo": "ZJ1"}


async def test_an_answer_without_the_case_is_followed_by_a_status_call(
    http: httpx.AsyncClient,
) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/open/api").mock(side_effect=[ok(None), ok({**CASE, "status": "A0600"})])
        state = await bind(CONFIG, http).withdraw("x", "ZJ1")
    assert state.status is CaseStatus.cancelled
    assert [form(call.request)["method"] for call in route.calls] == [
        "case.withdraw",
        "case.status",
    ]


def envelope(code: str, msg: str = "", status: int = 200) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "msg": msg, "data": None})


@pytest.mark.parametrize(
    ("response", "error", "code"),
    [
        (envelope("40001", "缺少参数 bizContent"), UpstreamRejected, "40001"),
        (envelope("40002", "签名错误"), UpstreamAuthFailed, "40002"),
        (envelope("40003", "时间戳超出范围"), UpstreamAuthFailed, "40003"),
        (envelope("40004", "nonce 重复"), UpstreamAuthFailed, "40004"),
        (envelope("40005", "appKey 不存在"), UpstreamAuthFailed, "40005"),
        (envelope("40010", "idCardNo 格式错误"), UpstreamRejected, "40010"),
        (envelope("40400", "办件不存在"), CaseNotFound, "40400"),
        (envelope("40401", "事项未开通"), ItemNotServed, "40401"),
        (envelope("40900", "当前状态不允许"), UpstreamRejected, "40900"),
        (envelope("42900", "请求过于频繁"), UpstreamUnavailable, "42900"),
        (envelope("50000", "系统错误", status=500), UpstreamUnavailable, "50000"),
        (httpx.Response(502, text="<html>bad gateway</html>"), UpstreamUnavailable, "50000"),
        (httpx.Response(429, text="slow down"), UpstreamUnavailable, "42900"),
        (envelope("49999", "?"), UpstreamProtocolError, "49999"),
        (httpx.Response(200, text="<html>login</html>"), UpstreamProtocolError, None),
        (httpx.Response(200, json={"msg": "no code"}), UpstreamProtocolError, None),
        (httpx.Response(200, json={"code": "0", "data": [1]}), UpstreamProtocolError, None),
        (ok({"caseNo": "ZJ1", "status": "B9999"}), UpstreamProtocolError, "B9999"),
        (ok({"status": "A0100"}), UpstreamProtocolError, "A0100"),
    ],
)
async def test_error_mapping(
    http: httpx.AsyncClient,
    response: httpx.Response,
    error: type[Exception],
    code: str | None,
) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.post("/open/api").mock(return_value=response)
        with pytest.raises(error) as caught:
            await bind(CONFIG, http).status("x", "ZJ1")
    assert getattr(caught.value, "province", None) == "330000"
    assert getattr(caught.value, "code", None) == code


async def test_timeouts_and_connection_errors_are_mapped(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/open/api")
        route.side_effect = httpx.ReadTimeout
        with pytest.raises(UpstreamTimeout):
            await bind(CONFIG, http).status("x", "ZJ1")
        route.side_effect = httpx.ConnectError
        with pytest.raises(UpstreamUnavailable):
            await bind(CONFIG, http).ping()


async def test_item_without_binding_is_not_served(http: httpx.AsyncClient) -> None:
    with pytest.raises(ItemNotServed):
        await bind(CONFIG, http).query("pension-transfer-employee", {})


async def test_secrets_may_come_from_the_environment(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TB_TEST_ZJ_SECRET", "from-env")
    config = CONFIG.model_copy(
        update={"credentials": {"app_key": "tb-zj", "app_secret": "env:TB_TEST_ZJ_SECRET"}}
    )
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/open/api").mock(return_value=ok({"pong": True}))
        await bind(config, http).ping()
    fields = form(route.calls.last.request)
    canonical = "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "sign")
    assert fields["sign"] == hmac.new(b"from-env", canonical.encode(), "sm3").hexdigest()


def test_a_secret_that_cannot_be_read_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A KeyError here escaped the resilience layer and made a whole fan-out a 500.
    monkeypatch.delenv("TB_TEST_ZJ_UNSET", raising=False)
    config = CONFIG.model_copy(
        update={"credentials": {"app_key": "tb-zj", "app_secret": "env:TB_TEST_ZJ_UNSET"}}
    )
    with pytest.raises(ConfigurationError) as caught:
        config.secret("app_secret")
    assert "TB_TEST_ZJ_UNSET" in caught.value.message
    assert caught.value.province == config.code
    with pytest.raises(ConfigurationError):
        config.secret("no_such_credential")
