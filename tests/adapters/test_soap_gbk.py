"""The SOAP/GBK family against respx-mocked endpoints: packages, AuthCode, GBK, codes."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import httpx
import pytest
import respx
from defusedxml import ElementTree as SafeET

from adapters.base import ItemBinding, ProvinceConfig, SubmitRequest
from adapters.errors import (
    CaseNotFound,
    ItemNotServed,
    UpstreamAuthFailed,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from adapters.soap_gbk import family
from schemas._status import CaseStatus

BASE = "http://sc.example/510000"
CONFIG = ProvinceConfig(
    code="510000",
    family="soap_gbk",
    base_url=BASE,
    timeout_seconds=2,
    credentials={"sender_code": "TB1", "receiver_code": "510000RSJ", "secret": "s3cret"},
    items={
        "social-insurance-contributions": ItemBinding(local_code="SB01"),
        "unemployment-registration": ItemBinding(local_code="JY02"),
    },
)
NS = "{http://schemas.xmlsoap.org/soap/envelope/}"


def answer(body: str, code: str = "0", message: str = "成功", status: int = 200) -> httpx.Response:
    text = (
        '<?xml version="1.0" encoding="GBK"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        f"<soapenv:Body><Package><PackageHead><ReturnCode>{code}</ReturnCode>"
        f"<ReturnMsg>{message}</ReturnMsg></PackageHead><PackageBody>{body}</PackageBody>"
        "</Package></soapenv:Body></soapenv:Envelope>"
    )
    return httpx.Response(
        status, content=text.encode("gbk"), headers={"Content-Type": "text/xml; charset=GBK"}
    )


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


async def test_submit_sends_a_signed_gbk_package(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE, assert_all_called=True) as mock:
        route = mock.post("/services/XzfwService").mock(
            return_value=answer(
                "<Case><CaseNo>SC1</CaseNo><Status>10</Status><StatusDesc>已接收</StatusDesc></Case>"
            )
        )
        state = await family.bind(CONFIG, http).submit(
            SubmitRequest(
                item="unemployment-registration",
                serial="COLLAB-1",
                data={
                    "applicant": {"name": "张三", "id_number": "11010519491231002X"},
                    "reason": "contract-ended",
                },
            )
        )
    assert state.reference == "SC1"
    assert state.status is CaseStatus.received
    assert state.description == "已接收"
    request = route.calls.last.request
    assert request.headers["soapaction"] == '"submitCase"'
    assert request.headers["content-type"] == "text/xml; charset=GBK"
    assert "张三".encode("gbk") in request.content
    root = SafeET.fromstring(request.content.decode("gb18030").split("?>", 1)[1])
    head = root.find(f"{NS}Body/Package/PackageHead")
    assert head is not None
    fields = {child.tag: child.text or "" for child in head}
    assert fields["BusinessType"] == "JY02"
    assert fields["CollaborationId"] == "COLLAB-1"
    expected = hashlib.new(
        "sm3", ("TB1" + "510000RSJ" + fields["SendTime"] + "COLLAB-1" + "s3cret").encode()
    ).hexdigest()
    assert fields["AuthCode"] == expected
    data = root.find(f"{NS}Body/Package/PackageBody/Case/Data")
    assert data is not None
    assert data.findtext("SQR/XM") == "张三"
    assert data.findtext("REASON") == "contract-ended"


async def test_query_reads_item_lists_and_converts_codes(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.post("/services/XzfwService").mock(
            return_value=answer(
                "<Result><JL><Item><NY>202401</NY><XZLX>110</XZLX><JFJS>8000.00</JFJS>"
                "<DWJF>1280.00</DWJF><GRJF>640.00</GRJF><DWMC>成都某某公司</DWMC></Item></JL>"
                "<JFYS>1</JFYS></Result>"
            )
        )
        result = await family.bind(CONFIG, http).query(
            "social-insurance-contributions",
            {"person": {"name": "张三", "id_number": "11010519491231002X"}},
        )
    assert result == {
        "records": [
            {
                "month": "2024-01",
                "insurance_type": "pension",
                "base": "8000.00",
                "employer_amount": "1280.00",
                "personal_amount": "640.00",
                "employer_name": "成都某某公司",
            }
        ],
        "months_paid": "1",
    }


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (answer("", "1002", "认证失败"), UpstreamAuthFailed),
        (answer("", "1004", "时间超出范围"), UpstreamAuthFailed),
        (answer("", "2001", "缺少SFZH"), UpstreamRejected),
        (answer("", "2002", "事项未开通"), ItemNotServed),
        (answer("", "3001", "办件不存在"), CaseNotFound),
        (answer("", "1001", "报文格式错误"), UpstreamProtocolError),
        (
            httpx.Response(
                500,
                content=(
                    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
                    "<soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode>"
                    "<faultstring>9999 系统错误</faultstring></soapenv:Fault></soapenv:Body>"
                    "</soapenv:Envelope>"
                ).encode("gbk"),
            ),
            UpstreamUnavailable,
        ),
        (httpx.Response(200, content=b"<Package><unclosed>"), UpstreamProtocolError),
        (httpx.Response(200, content=b"\xff\xfe\x00garbage"), UpstreamProtocolError),
        (httpx.Response(503, content=b"busy"), UpstreamUnavailable),
        (answer("<Case><CaseNo>SC1</CaseNo><Status>77</Status></Case>"), UpstreamProtocolError),
    ],
)
async def test_error_mapping(
    http: httpx.AsyncClient, response: httpx.Response, error: type[Exception]
) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.post("/services/XzfwService").mock(return_value=response)
        with pytest.raises(error):
            await family.bind(CONFIG, http).status("x", "SC1")


async def test_entity_expansion_is_refused(http: httpx.AsyncClient) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>'
    )
    with respx.mock(base_url=BASE) as mock:
        mock.post("/services/XzfwService").mock(return_value=httpx.Response(200, content=bomb))
        with pytest.raises(UpstreamProtocolError):
            await family.bind(CONFIG, http).ping()


async def test_rare_characters_and_empty_lists(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/services/XzfwService").mock(
            return_value=answer("<Result><JL/><JFYS>0</JFYS></Result>")
        )
        result = await family.bind(CONFIG, http).query(
            "social-insurance-contributions",
            {"person": {"name": "刘䶮", "id_number": "11010519491231002X"}},
        )
    assert result == {"months_paid": "0"}  # <JL/> is no records, not an empty string
    assert "&#" in route.calls.last.request.content.decode("gb18030")
