"""Accept-Language negotiation and problem titles in the language asked for."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from gateway import errors, i18n
from gateway.api.views import ItemSummary
from gateway.problems import Problem
from schemas import all_items


@pytest.mark.parametrize(
    ("header", "requested", "negotiated"),
    [
        (None, None, "zh"),
        ("", None, "zh"),
        ("*", None, "zh"),
        ("zh", "zh", "zh"),
        ("zh-CN", "zh", "zh"),
        ("zh-Hans-CN", "zh", "zh"),
        ("en", "en", "en"),
        ("en-US", "en", "en"),
        ("EN-gb", "en", "en"),
        ("en-US,en;q=0.9", "en", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh", "zh"),
        ("en;q=0.5, zh;q=0.8", "zh", "zh"),
        ("zh;q=0.5, en;q=0.8", "en", "en"),
        ("en, zh", "en", "en"),  # a tie goes to the earlier range
        ("zh, en", "zh", "zh"),
        ("en;q=0.5, zh, en", "zh", "zh"),  # en's best q comes after zh's
        ("fr", None, "zh"),
        ("fr, en;q=0.1", "en", "en"),
        ("zh;q=0", None, "en"),  # refused: the other language
        ("zh;q=0, en;q=0", None, "zh"),
        ("en;q=0", None, "zh"),
        ("en;q=abc", None, "zh"),  # a malformed range is ignored
        ("en;q=2, zh;q=0.3", "zh", "zh"),
        (" en-US ; Q=0.7 ", "en", "en"),
        ("\x00;;,,;q=", None, "zh"),
    ],
)
def test_negotiation(header: str | None, requested: str | None, negotiated: str) -> None:
    assert i18n.requested(header) == requested
    assert i18n.negotiate(header) == negotiated


def test_titles() -> None:
    bilingual = "Request validation failed / 请求参数校验失败"
    assert i18n.title(bilingual, "en") == "Request validation failed"
    assert i18n.title(bilingual, "zh") == "请求参数校验失败"
    assert i18n.title(bilingual, None) == bilingual
    assert i18n.title("HTTP 418", "zh") == "HTTP 418"
    assert i18n.content_language("zh") == "zh-CN"
    assert i18n.content_language(None) == "en, zh-CN"


def test_item_summary_names_follow_the_language() -> None:
    item = next(i for i in all_items() if i.code == "unemployment-registration")
    zh = ItemSummary.of(item, ["440000"])
    assert (zh.name, zh.summary) == (item.name_zh, item.summary_zh)
    assert zh.department_name == zh.department_name_zh
    en = ItemSummary.of(item, ["440000"], "en")
    assert (en.name, en.summary) == (item.name_en, item.summary_en)
    assert en.department_name == en.department_name_en
    assert (en.name_zh, en.name_en) == (item.name_zh, item.name_en)


@pytest.mark.parametrize(
    ("header", "title", "language"),
    [
        (None, "Request validation failed / 请求参数校验失败", "en, zh-CN"),
        ("en", "Request validation failed", "en"),
        ("en-US,en;q=0.9", "Request validation failed", "en"),
        ("zh", "请求参数校验失败", "zh-CN"),
        ("zh-CN", "请求参数校验失败", "zh-CN"),
        ("fr", "Request validation failed / 请求参数校验失败", "en, zh-CN"),
    ],
)
async def test_problem_titles(header: str | None, title: str, language: str) -> None:
    app = FastAPI()
    errors.install(app)

    @app.get("/boom")
    async def boom() -> None:
        raise Problem("validation", 422, "Request validation failed / 请求参数校验失败", "no")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as http:
        headers = {"Accept-Language": header} if header is not None else {}
        response = await http.get("/boom", headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == title
    assert response.headers["content-language"] == language
    assert response.headers["vary"] == "Accept-Language"
