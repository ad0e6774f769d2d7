"""/docs and /redoc: served from the gateway's own vendored assets, never from a CDN."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.app import create_app
from gateway.docs import STATIC_DIR
from gateway.settings import Settings

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")
URL_LIKE = re.compile(r"""["'](?:[a-z]+:)?//[^"']*["']""", re.IGNORECASE)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    # No lifespan: the documentation needs neither the database nor the provinces.
    app = create_app(Settings(environment="test", run_workers=False))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_page_loads_only_local_assets(http: httpx.AsyncClient, page: str) -> None:
    response = await http.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert not URL_LIKE.search(html), URL_LIKE.findall(html)  # no http(s):// nor //host URL
    assets = ASSET.findall(html)
    assert assets, "the page loads its scripts and styles"
    for url in assets:
        assert url.startswith("/static/"), url
        asset = await http.get(url)
        assert asset.status_code == 200, url
        assert asset.content == (STATIC_DIR / url.removeprefix("/static/")).read_bytes()
    assert "/openapi.json" in html


async def test_swagger_ui_does_not_send_the_document_to_an_online_validator(
    http: httpx.AsyncClient,
) -> None:
    html = (await http.get("/docs")).text
    assert '"validatorUrl": null' in html


async def test_asset_types_and_unknown_assets(http: httpx.AsyncClient) -> None:
    types = {
        "swagger-ui-bundle.js": "text/javascript",
        "swagger-ui.css": "text/css",
        "redoc.standalone.js": "text/javascript",
        "favicon-32x32.png": "image/png",
    }
    for name, media_type in types.items():
        response = await http.get(f"/static/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
    missing = await http.get("/static/nothing-here.js")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_vendored_assets_are_recorded_with_their_licences() -> None:
    readme = (STATIC_DIR / "README.md").read_text()
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert name in readme
        assert (STATIC_DIR / name).stat().st_size > 100_000
    for licence in ("swagger-ui-dist.LICENSE", "redoc.LICENSE"):
        assert (STATIC_DIR / licence).exists()
    assert "Apache-2.0" in readme
    assert "MIT" in readme


def test_the_default_cdn_pages_are_off() -> None:
    app = create_app(Settings(environment="test", run_workers=False))
    schema = app.openapi()
    assert "/docs" not in schema["paths"]
    assert "/redoc" not in schema["paths"]
    assert app.docs_url is None
    assert app.redoc_url is None
