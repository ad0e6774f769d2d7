"""The 31 provinces: both sides of onboarding agree, coverage is realistic, the generator's
output is what is committed."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sandbox import DEFAULT_PORTS
from sandbox.items import APPLICATION_KINDS
from sandbox.lookups import LOOKUPS
from sandbox.provinces import load_catalog
from schemas import all_items
from schemas._model import Kind
from schemas._provinces import PROVINCES

REPO = Path(__file__).resolve().parents[2]
HOSTS = {
    "rest_oauth": {"440000", "110000", "310000", "320000", "370000", "420000", "430000", "500000"},
    "soap_gbk": {"510000", "130000", "140000", "210000", "220000", "230000", "410000", "610000"},
    "form_sm3": {"330000", "340000", "350000", "360000", "450000", "460000", "520000", "530000"},
    "batch_callback": {"120000", "150000", "540000", "620000", "630000", "640000", "650000"},
}
CREDENTIALS = {
    "rest_oauth": {"client_id", "client_secret"},
    "soap_gbk": {"sender_code", "receiver_code", "secret"},
    "form_sm3": {"app_key", "app_secret"},
    "batch_callback": {"client_id", "client_secret"},
}
FOUNDATION = (
    "social-insurance-contributions",
    "unemployment-registration",
    "pension-transfer-employee",
)
ITEMS = {item.code: item for item in all_items()}


def gateway_config(code: str) -> dict[str, Any]:
    with (REPO / "adapters" / "provinces" / f"{code}.toml").open("rb") as f:
        return tomllib.load(f)


CONFIGS = {code: gateway_config(code) for code in PROVINCES}
CATALOG = load_catalog()


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("provinces_tool", REPO / "tools" / "provinces.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["provinces_tool"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_files_are_up_to_date(tool: ModuleType) -> None:
    stale = [
        str(path.relative_to(REPO))
        for path, text in tool.outputs().items()
        if path.read_text("utf-8") != text
    ]
    assert stale == [], "run .venv/bin/python tools/provinces.py"


def test_each_family_hosts_its_provinces() -> None:
    assert set(CATALOG.provinces) == set(PROVINCES)
    for family, codes in HOSTS.items():
        assert set(CATALOG.hosted_by(family)) == codes
        for code in codes:
            config = CONFIGS[code]
            assert config["family"] == family
            assert config["base_url"] == f"http://127.0.0.1:{DEFAULT_PORTS[family]}/{code}"
            assert set(config["credentials"]) == CREDENTIALS[family]
    assert DEFAULT_PORTS == {
        "rest_oauth": 9101,
        "soap_gbk": 9102,
        "form_sm3": 9103,
        "batch_callback": 9104,
    }


def test_shipped_provinces_kept() -> None:
    gd, sc = CONFIGS["440000"], CONFIGS["510000"]
    assert gd["base_url"] == "http://127.0.0.1:9101/440000"
    assert gd["credentials"] == {"client_id": "tongban-gd", "client_secret": "gd-sandbox-secret"}
    assert [gd["items"][i]["local_code"] for i in FOUNDATION] == [
        "440000-RS-0101",
        "440000-RS-0207",
        "440000-RS-0315",
    ]
    assert sc["base_url"] == "http://127.0.0.1:9102/510000"
    assert sc["credentials"] == {
        "sender_code": "TONGBAN0001",
        "receiver_code": "510000RSJ",
        "secret": "sc-sandbox-secret",
    }
    assert [sc["items"][i]["local_code"] for i in FOUNDATION] == ["SB01", "JY02", "YL03"]


@pytest.mark.parametrize("code", sorted(PROVINCES))
def test_both_sides_agree(code: str) -> None:
    config, province = CONFIGS[code], CATALOG.provinces[code]
    creds, auth = config["credentials"], province.auth
    if province.family == "rest_oauth":
        assert (auth["client_id"], auth["client_secret"]) == (
            creds["client_id"],
            creds["client_secret"],
        )
    elif province.family == "soap_gbk":
        assert auth["receiver_code"] == creds["receiver_code"]
        assert auth["senders"] == {creds["sender_code"]: creds["secret"]}
    elif province.family == "form_sm3":
        assert auth["apps"] == {creds["app_key"]: creds["app_secret"]}
    else:
        assert auth["clients"] == {creds["client_id"]: creds["client_secret"]}
    assert "sandbox" in creds.get("client_secret", creds.get("secret", creds.get("app_secret")))
    bound = {binding["local_code"]: item for item, binding in config["items"].items()}
    assert set(bound) == set(province.items)
    for local, item_code in bound.items():
        item, kind = ITEMS[item_code], province.items[local].kind
        assert kind.query == (item.kind is Kind.query)
        assert kind.name == (item_code if kind.query else kind.name)
        assert kind.query or kind.name in APPLICATION_KINDS
    # Vocabulary variations are declared on both sides.
    own = {
        m: k for m, k in province.vocab.as_dict().items() if k in province.vocab.refused.values()
    }
    assert config.get("outbound", {}) == own
    assert config.get("inbound", {}) == {k: m for m, k in own.items()}


def test_some_provinces_speak_their_own_way() -> None:
    varied = {
        code: CONFIGS[code].get("outbound") for code in PROVINCES if "outbound" in CONFIGS[code]
    }
    assert varied == {
        "320000": {"phone": "sjhm"},
        "410000": {"id_number": "ZJHM"},
        "350000": {"name": "realName"},
        "650000": {"id_number": "shenfenzhenghaoma"},
    }


def test_coverage_is_uneven_and_complete() -> None:
    served = {code: set(config["items"]) for code, config in CONFIGS.items()}
    for code in PROVINCES:
        assert set(FOUNDATION) <= served[code]
    for item in ITEMS:
        assert sum(item in s for s in served.values()) >= 2, item
    share = {code: len(s) / len(ITEMS) for code, s in served.items()}
    for code in ("440000", "330000", "310000", "110000", "320000"):
        assert share[code] >= 0.88, code
    for code in ("540000", "630000", "640000"):
        assert share[code] <= 0.55, code
    others = set(PROVINCES) - {"440000", "330000", "310000", "110000", "320000"}
    others -= {"540000", "630000", "640000"}
    assert all(0.5 <= share[code] <= 0.9 for code in others), share


def test_local_codes_in_family_style() -> None:
    import re

    patterns = {
        "rest_oauth": r"\d{6}-[A-Z]{2}-\d{4}",
        "soap_gbk": r"[A-Z]{2}\d{2}",
        "form_sm3": r"[A-Z]{2}\.[A-Z]{2}\.\d{4}",
        "batch_callback": r"[A-Z]{2}_\d{5}",
    }
    for code, province in CATALOG.provinces.items():
        for local in province.items:
            assert re.fullmatch(patterns[province.family], local), (code, local)
    assert "ZJ.RS." in " ".join(CATALOG.provinces["330000"].items)


def test_query_kinds_have_generators() -> None:
    kinds = {i.kind.name for p in CATALOG.provinces.values() for i in p.items.values()}
    assert {k for k in kinds if k not in APPLICATION_KINDS} <= set(LOOKUPS)
