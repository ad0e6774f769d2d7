"""Accept-Language on the catalogue and on problems, over HTTP."""

from __future__ import annotations

from tests.integration.conftest import Gateway


async def test_catalogue_in_the_language_asked_for(gateway: Gateway) -> None:
    cases = [
        (None, "zh", "zh-CN"),
        ("zh-CN", "zh", "zh-CN"),
        ("en-US,en;q=0.9", "en", "en"),
        ("zh;q=0.3, en;q=0.7", "en", "en"),
        ("fr", "zh", "zh-CN"),
    ]
    for header, lang, content_language in cases:
        headers = gateway.auth() | ({"Accept-Language": header} if header else {})
        page = await gateway.http.get("/v1/items", params={"limit": 200}, headers=headers)
        assert page.status_code == 200, page.text
        assert page.headers["content-language"] == content_language
        assert "Accept-Language" in page.headers["vary"]
        items = page.json()["items"]
        assert items
        for item in items:
            assert item["name"] == item[f"name_{lang}"]
            assert item["department_name"] == item[f"department_name_{lang}"]
            assert item["summary"] == item[f"summary_{lang}"]
            assert item["name_zh"]
            assert item["name_en"]

        one = await gateway.http.get("/v1/items/unemployment-registration", headers=headers)
        assert one.status_code == 200, one.text
        assert one.headers["content-language"] == content_language
        body = one.json()
        assert body["name"] == {"zh": "失业登记", "en": "Unemployment registration"}[lang]
        assert body["request_schema"]["type"] == "object"


async def test_problem_titles_in_the_language_asked_for(gateway: Gateway) -> None:
    async def invalid(language: str | None) -> tuple[str, str]:
        headers = gateway.auth() | ({"Accept-Language": language} if language else {})
        response = await gateway.http.post(
            "/v1/items/unemployment-registration/applications",
            json={"mode": "online", "data": {}},
            headers=headers,
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        return response.json()["title"], response.headers["content-language"]

    assert await invalid("en") == ("Request validation failed", "en")
    assert await invalid("zh") == ("请求参数校验失败", "zh-CN")
    assert await invalid(None) == ("Request validation failed / 请求参数校验失败", "en, zh-CN")

    unknown = await gateway.http.get(
        "/v1/items/no-such-item", headers=gateway.auth() | {"Accept-Language": "en"}
    )
    assert unknown.status_code == 404
    assert unknown.json()["title"] == "Item not found"

    anonymous = await gateway.http.get("/v1/items", headers={"Accept-Language": "zh"})
    assert anonymous.status_code == 401
    assert anonymous.json()["title"] == "需要身份认证"


async def test_a_body_that_is_not_text_is_a_validation_problem(gateway: Gateway) -> None:
    response = await gateway.http.post(
        "/v1/items/unemployment-registration/applications",
        content=b'{"data": "\xff\xfe"}',
        headers=gateway.auth() | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/validation")
    assert problem["errors"] == [
        {"field": "body", "message": "not a UTF-8 JSON document", "type": "json_invalid"}
    ]
