"""Generates the 31 sandbox provinces: both sides of onboarding, from one deterministic table.

    .venv/bin/python tools/provinces.py           # write the files
    .venv/bin/python tools/provinces.py --check   # exit 1 if they are not up to date

Writes

- ``sandbox/provinces.toml``: the provinces' side (what each province publishes): credentials
  it issued, the items it serves under its own codes, its vocabulary variations;
- ``adapters/provinces/<code>.toml``: the gateway's side (what ops register from that): base
  URL on the family's sandbox port, credentials, item bindings, vocabulary overrides.

The contract suite (``tests/adapters/test_contract.py``) proves the two agree. Item codes and
kinds are read from ``schemas`` (this tool is not the sandbox, so it may import it); every
query item needs a generator in ``sandbox.lookups``. Nothing here is real: credentials exist
only for the sandbox.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(REPO))

from sandbox import DEFAULT_PORTS  # noqa: E402
from sandbox.lookups import LOOKUPS  # noqa: E402
from schemas import all_items  # noqa: E402
from schemas._common import CertificateDecision  # noqa: E402
from schemas._model import Kind, ServiceItem  # noqa: E402
from schemas._provinces import PROVINCES  # noqa: E402

SANDBOX_FILE = REPO / "sandbox" / "provinces.toml"
ADAPTERS_DIR = REPO / "adapters" / "provinces"

FOUNDATION = (
    "social-insurance-contributions",
    "unemployment-registration",
    "pension-transfer-employee",
)
APPLICATION_KINDS = {
    "unemployment-registration": "unemployment_registration",
    "pension-transfer-employee": "pension_transfer",
}
SOAP_SENDER = "TONGBAN0001"
TIMEOUT_SECONDS = 8.0

# Department -> code letters (REST `<code>-<DEPT>-<nnnn>`, form `<XX>.<DEPT>.<nnnn>`,
# SOAP business types `<DEPT><nn>`).
DEPARTMENT_LETTERS: dict[str, str] = {
    "hrss": "RS",
    "medical-insurance": "YB",
    "housing-fund": "GJ",
    "public-security": "GA",
    "civil-affairs": "MZ",
    "education": "JW",
    "transport": "JT",
    "market-regulation": "SJ",
    "ecology-environment": "HB",
    "health": "WJ",
    "justice": "SF",
    "natural-resources": "ZR",
    "electricity": "DL",
    "taxation": "SW",
    "industry": "GX",
    "housing-construction": "JS",
    "agriculture": "NY",
    "commerce": "SM",
    "culture-tourism": "WL",
    "emergency": "YJ",
    "veterans": "TY",
    "finance": "CZ",
    "disabled-persons": "CL",
}

# --- the family vocabularies (meaning -> wire key), as each protocol document gives them --

_PINYIN = {
    "applicant": "sqr",
    "person": "cxr",
    "name": "xm",
    "id_number": "sfzh",
    "phone": "lxdh",
    "address": "dz",
    "enterprise": "sqdw",
    "credit_code": "tyshxydm",
    "legal_representative": "fddbr",
    "from_month": "ksny",
    "to_month": "jsny",
    "insurance_types": "xzlx",
    "records": "jl",
    "month": "ny",
    "insurance_type": "xzlx",
    "base": "jfjs",
    "employer_amount": "dwjf",
    "personal_amount": "grjf",
    "employer_name": "dwmc",
    "months_paid": "jfys",
    "decision_number": "wsbh",
    "closing_date": "bjrq",
    "decision_text": "jgsm",
    "contact_letter_number": "lxhbh",
    "transferred_months": "zyys",
    "personal_account_balance": "grzhye",
    "pooled_fund_transferred": "tcjjzye",
    "registration_number": "sydjbh",
    "registration_date": "djrq",
}
VOCABULARIES: dict[str, dict[str, str]] = {
    "rest_oauth": _PINYIN,
    "soap_gbk": {meaning: key.upper() for meaning, key in _PINYIN.items()},
    "form_sm3": {
        "applicant": "applyUser",
        "person": "queryUser",
        "name": "userName",
        "id_number": "idCardNo",
        "phone": "mobile",
        "address": "addr",
        "enterprise": "applyOrg",
        "credit_code": "creditCode",
        "legal_representative": "legalPerson",
        "from_month": "beginMonth",
        "to_month": "endMonth",
        "insurance_types": "insTypes",
        "records": "list",
        "month": "payMonth",
        "insurance_type": "insType",
        "base": "payBase",
        "employer_amount": "unitPay",
        "personal_amount": "personPay",
        "employer_name": "unitName",
        "months_paid": "payMonths",
        "decision_number": "docNo",
        "closing_date": "finishDate",
        "decision_text": "resultDesc",
        "contact_letter_number": "letterNo",
        "transferred_months": "transMonths",
        "personal_account_balance": "accountBalance",
        "pooled_fund_transferred": "poolFund",
        "registration_number": "regNo",
        "registration_date": "regDate",
    },
    "batch_callback": {
        "applicant": "shenqingren",
        "person": "chaxunren",
        "name": "xingming",
        "id_number": "zhengjianhaoma",
        "phone": "lianxidianhua",
        "address": "dizhi",
        "enterprise": "shenqingdanwei",
        "credit_code": "tongyishehuixinyongdaima",
        "legal_representative": "fadingdaibiaoren",
        "from_month": "qishinianyue",
        "to_month": "jiezhinianyue",
        "insurance_types": "xianzhong",
        "records": "jilu",
        "month": "nianyue",
        "insurance_type": "xianzhong",
        "base": "jishu",
        "employer_amount": "danweijiaofei",
        "personal_amount": "gerenjiaofei",
        "employer_name": "danweimingcheng",
        "months_paid": "jiaofeiyueshu",
        "decision_number": "wenshubianhao",
        "closing_date": "banjieriqi",
        "decision_text": "jieguoshuoming",
        "contact_letter_number": "lianxihanbianhao",
        "transferred_months": "zhuanyiyueshu",
        "personal_account_balance": "gerenzhanghuyue",
        "pooled_fund_transferred": "tongchoujijin",
        "registration_number": "shiyedengjibianhao",
        "registration_date": "dengjiriqi",
    },
}
# The gateway's canonical key for a sandbox meaning, where the two differ.
CANONICAL = {"closing_date": "decided_on", "registration_date": "registered_on"}


@dataclass(frozen=True)
class Spec:
    """One province as the table gives it."""

    code: str
    family: str
    letters: str  # GB/T 2260 two-letter abbreviation: case references, form item codes
    abbr: str  # one-character abbreviation: document numbers
    cities: tuple[str, ...]
    share: float  # the share of the catalogue (beyond the foundation items) it serves
    vocab: Mapping[str, str] = field(default_factory=dict)  # its own spellings (meaning -> key)
    employers: tuple[str, ...] = ()  # fixed names; generated from the cities otherwise


PROVINCE_TABLE: tuple[Spec, ...] = (
    # rest_oauth — provincial 一网通办 platforms on a common vendor stack
    Spec(
        "440000",
        "rest_oauth",
        "GD",
        "粤",
        ("广州市", "深圳市", "佛山市", "东莞市", "珠海市"),
        0.95,
        employers=(
            "广州市天河区云帆信息科技有限公司",
            "深圳市南山区星海电子有限公司",
            "佛山市顺德区美家家电制造有限公司",
            "东莞市长安镇精工模具有限公司",
            "珠海市香洲区海韵物流有限公司",
            "广州市越秀区岭南餐饮管理有限公司",
        ),
    ),
    Spec("110000", "rest_oauth", "BJ", "京", ("北京市", "北京市朝阳区", "北京市海淀区"), 0.95),
    Spec("310000", "rest_oauth", "SH", "沪", ("上海市", "上海市浦东新区", "上海市徐汇区"), 0.95),
    Spec(
        "320000",
        "rest_oauth",
        "JS",
        "苏",
        ("南京市", "苏州市", "无锡市", "常州市"),
        0.95,
        vocab={"phone": "sjhm"},  # 手机号码 rather than the common 联系电话
    ),
    Spec("370000", "rest_oauth", "SD", "鲁", ("济南市", "青岛市", "烟台市"), 0.8),
    Spec("420000", "rest_oauth", "HB", "鄂", ("武汉市", "宜昌市", "襄阳市"), 0.75),
    Spec("430000", "rest_oauth", "HN", "湘", ("长沙市", "株洲市", "湘潭市"), 0.7),
    Spec("500000", "rest_oauth", "CQ", "渝", ("重庆市", "重庆市渝中区", "重庆市江北区"), 0.75),
    # soap_gbk — older exchange platforms
    Spec(
        "510000",
        "soap_gbk",
        "SC",
        "川",
        ("成都市", "绵阳市", "德阳市", "宜宾市"),
        0.8,
        employers=(
            "成都市高新区锦程软件有限公司",
            "成都市武侯区蜀味食品有限公司",
            "绵阳市涪城区科创精密机械有限公司",
            "德阳市旌阳区重装设备制造有限公司",
            "宜宾市翠屏区酒城包装有限公司",
            "四川天府新区锦江建设工程有限公司",
        ),
    ),
    Spec("130000", "soap_gbk", "HE", "冀", ("石家庄市", "唐山市", "保定市"), 0.65),
    Spec("140000", "soap_gbk", "SX", "晋", ("太原市", "大同市", "长治市"), 0.6),
    Spec("210000", "soap_gbk", "LN", "辽", ("沈阳市", "大连市", "鞍山市"), 0.7),
    Spec("220000", "soap_gbk", "JL", "吉", ("长春市", "吉林市", "四平市"), 0.62),
    Spec("230000", "soap_gbk", "HL", "黑", ("哈尔滨市", "齐齐哈尔市", "大庆市"), 0.6),
    Spec(
        "410000",
        "soap_gbk",
        "HA",
        "豫",
        ("郑州市", "洛阳市", "开封市"),
        0.7,
        vocab={"id_number": "ZJHM"},  # 证件号码 rather than 身份证号
    ),
    Spec("610000", "soap_gbk", "SN", "陕", ("西安市", "宝鸡市", "咸阳市"), 0.7),
    # form_sm3 — open-platform vendor stacks
    Spec("330000", "form_sm3", "ZJ", "浙", ("杭州市", "宁波市", "温州市"), 0.95),
    Spec("340000", "form_sm3", "AH", "皖", ("合肥市", "芜湖市", "蚌埠市"), 0.75),
    Spec(
        "350000",
        "form_sm3",
        "FJ",
        "闽",
        ("福州市", "厦门市", "泉州市"),
        0.75,
        vocab={"name": "realName"},
    ),
    Spec("360000", "form_sm3", "JX", "赣", ("南昌市", "赣州市", "九江市"), 0.65),
    Spec("450000", "form_sm3", "GX", "桂", ("南宁市", "柳州市", "桂林市"), 0.6),
    Spec("460000", "form_sm3", "HI", "琼", ("海口市", "三亚市", "儋州市"), 0.62),
    Spec("520000", "form_sm3", "GZ", "黔", ("贵阳市", "遵义市", "六盘水市"), 0.6),
    Spec("530000", "form_sm3", "YN", "滇", ("昆明市", "曲靖市", "大理市"), 0.65),
    # batch_callback — back offices that process in batches
    Spec("120000", "batch_callback", "TJ", "津", ("天津市", "天津市和平区", "天津市滨海新区"), 0.8),
    Spec("150000", "batch_callback", "NM", "蒙", ("呼和浩特市", "包头市", "鄂尔多斯市"), 0.55),
    Spec("540000", "batch_callback", "XZ", "藏", ("拉萨市", "日喀则市", "林芝市"), 0.42),
    Spec("620000", "batch_callback", "GS", "甘", ("兰州市", "天水市", "酒泉市"), 0.58),
    Spec("630000", "batch_callback", "QH", "青", ("西宁市", "海东市", "格尔木市"), 0.45),
    Spec("640000", "batch_callback", "NX", "宁", ("银川市", "石嘴山市", "吴忠市"), 0.48),
    Spec(
        "650000",
        "batch_callback",
        "XJ",
        "新",
        ("乌鲁木齐市", "克拉玛依市", "喀什市"),
        0.55,
        vocab={"id_number": "shenfenzhenghaoma"},
    ),
)

# What already shipped for the first two provinces stays exactly as it was.
KEPT_CODES: dict[str, dict[str, str]] = {
    "440000": {
        "social-insurance-contributions": "440000-RS-0101",
        "unemployment-registration": "440000-RS-0207",
        "pension-transfer-employee": "440000-RS-0315",
    },
    "510000": {
        "social-insurance-contributions": "SB01",
        "unemployment-registration": "JY02",
        "pension-transfer-employee": "YL03",
    },
}
SOAP_FOUNDATION = {
    "social-insurance-contributions": "SB01",
    "unemployment-registration": "JY02",
    "pension-transfer-employee": "YL03",
}
KEPT_CREDENTIALS: dict[str, dict[str, str]] = {
    "440000": {"client_id": "tongban-gd", "client_secret": "gd-sandbox-secret"},
    "510000": {
        "sender_code": SOAP_SENDER,
        "receiver_code": "510000RSJ",
        "secret": "sc-sandbox-secret",
    },
}
KEPT_HEADERS: dict[str, str] = {
    "440000": "# Guangdong (广东省) — provincial 一网通办 platform, JSON REST + OAuth2.\n",
    "510000": "# Sichuan (四川省) — provincial exchange platform, SOAP-style XML in GBK.\n",
}
FAMILY_TITLES = {
    "rest_oauth": "provincial 一网通办 platform, JSON REST + OAuth2",
    "soap_gbk": "provincial exchange platform, SOAP-style XML in GBK",
    "form_sm3": "open-platform gateway, signed form posts (HMAC-SM3)",
    "batch_callback": "batch intake with signed callbacks",
}

_NAMES = ("云帆", "星海", "锦程", "恒泰", "华创", "瑞丰", "鼎盛", "嘉禾", "长青", "明德")
_TRADES = ("信息科技", "电子", "食品", "物流", "建设工程", "精密机械", "商贸", "餐饮管理")


def unit(*parts: str) -> float:
    """A deterministic number in [0, 1) from the parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def below(n: int, *parts: str) -> int:
    return int(unit(*parts) * n)


# --- the catalogue -----------------------------------------------------------------------


def catalogue() -> list[ServiceItem]:
    items = list(all_items())
    missing = [i.code for i in items if i.kind is Kind.query and i.code not in LOOKUPS]
    if missing:
        raise SystemExit(f"no sandbox lookup generator for: {', '.join(missing)}")
    return items


def sandbox_kind(item: ServiceItem) -> str:
    if item.kind is Kind.query:
        return item.code
    if item.code in APPLICATION_KINDS:
        return APPLICATION_KINDS[item.code]
    if issubclass(item.result_model, CertificateDecision):
        return "certificate"
    return "application"


def coverage(items: list[ServiceItem]) -> dict[str, list[ServiceItem]]:
    """Which items each province serves: the foundation everywhere, else its share; every
    item by at least two provinces."""
    codes = [s.code for s in PROVINCE_TABLE]
    served: dict[str, set[str]] = {code: set(FOUNDATION) for code in codes}
    shares = {s.code: s.share for s in PROVINCE_TABLE}
    for item in items:
        if item.code in FOUNDATION:
            continue
        for code in codes:
            if unit("coverage", code, item.code) < shares[code]:
                served[code].add(item.code)
        holders = [code for code in codes if item.code in served[code]]
        if len(holders) < 2:
            ranked = sorted(
                (c for c in codes if c not in holders),
                key=lambda c: unit("coverage", c, item.code) - shares[c],
            )
            for code in ranked[: 2 - len(holders)]:
                served[code].add(item.code)
    return {code: [i for i in items if i.code in served[code]] for code in codes}


def local_codes(spec: Spec, items: list[ServiceItem]) -> dict[str, str]:
    """The province's own code for every catalogue item, in its family's style.

    Codes depend on the whole catalogue (not on coverage), so they stay put when coverage
    changes; the ones that already shipped are kept.
    """
    by_department: dict[str, list[ServiceItem]] = {}
    for item in items:
        by_department.setdefault(str(item.department), []).append(item)
    out: dict[str, str] = {}
    batch_start = 10 + below(40, "batch-start", spec.code)
    batch_step = 1 + below(3, "batch-step", spec.code)
    position = {item.code: n for n, item in enumerate(items)}
    for department, members in by_department.items():
        letters = DEPARTMENT_LETTERS.get(department, department[:2].upper())
        for index, item in enumerate(members, start=1):
            if spec.family == "rest_oauth":
                tail = 1 + below(98, "rest", spec.code, item.code)
                code = f"{spec.code}-{letters}-{index:02d}{tail:02d}"
            elif spec.family == "soap_gbk":
                code = SOAP_FOUNDATION.get(item.code, f"{letters}{index:02d}")
            elif spec.family == "form_sm3":
                code = (
                    f"{spec.letters}.{letters}.{index:03d}{below(10, 'form', spec.code, item.code)}"
                )
            else:
                code = f"{spec.letters}_{batch_start + batch_step * position[item.code]:05d}"
            out[item.code] = code
    out.update(KEPT_CODES.get(spec.code, {}))
    if len(set(out.values())) != len(out):
        raise SystemExit(f"{spec.code}: duplicate local item codes")
    return out


def employers(spec: Spec) -> tuple[str, ...]:
    if spec.employers:
        return spec.employers
    made: list[str] = []
    for n in range(6):
        city = spec.cities[n % len(spec.cities)]
        name = _NAMES[below(len(_NAMES), "employer-name", spec.code, str(n))]
        trade = _TRADES[below(len(_TRADES), "employer-trade", spec.code, str(n))]
        candidate = f"{city}{name}{trade}有限公司"
        while candidate in made:
            candidate = candidate.replace("有限公司", "股份有限公司")
        made.append(candidate)
    return tuple(made)


def credentials(spec: Spec) -> dict[str, str]:
    """The credentials the province issued to the gateway (sandbox only, not real)."""
    if spec.code in KEPT_CREDENTIALS:
        return dict(KEPT_CREDENTIALS[spec.code])
    secret = f"{spec.code}-sandbox-secret"
    client = f"tongban-{spec.code}"
    if spec.family == "soap_gbk":
        return {"sender_code": SOAP_SENDER, "receiver_code": f"{spec.code}ZWFW", "secret": secret}
    if spec.family == "form_sm3":
        return {"app_key": client, "app_secret": secret}
    return {"client_id": client, "client_secret": secret}


def province_auth(spec: Spec) -> dict[str, object]:
    """The same credentials as the province keeps them."""
    creds = credentials(spec)
    if spec.family == "rest_oauth":
        return {**creds, "token_ttl_seconds": 600}
    if spec.family == "soap_gbk":
        return {
            "receiver_code": creds["receiver_code"],
            "senders": {creds["sender_code"]: creds["secret"]},
        }
    if spec.family == "form_sm3":
        return {"apps": {creds["app_key"]: creds["app_secret"]}}
    return {"clients": {creds["client_id"]: creds["client_secret"]}}


def overrides(spec: Spec) -> tuple[dict[str, str], dict[str, str]]:
    """The gateway's (outbound, inbound) vocabulary overrides for the province's spellings."""
    outbound = {CANONICAL.get(m, m): key for m, key in spec.vocab.items()}
    inbound = {key: CANONICAL.get(m, m) for m, key in spec.vocab.items()}
    return outbound, inbound


# --- TOML ----------------------------------------------------------------------------------


def q(value: str) -> str:
    """A TOML basic string (JSON escapes are TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def key(name: str) -> str:
    bare = name.replace("-", "").replace("_", "").isalnum() and name.isascii()
    return name if bare else q(name)


def value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return q(v)
    if isinstance(v, tuple | list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise TypeError(type(v))


def table(name: str, entries: Mapping[str, object]) -> list[str]:
    lines = [f"[{name}]"]
    nested = {k: v for k, v in entries.items() if isinstance(v, Mapping)}
    lines += [f"{key(k)} = {value(v)}" for k, v in entries.items() if not isinstance(v, Mapping)]
    for k, v in nested.items():
        lines += ["", *table(f"{name}.{key(k)}", v)]
    return lines


def multiline_list(name: str, values: Iterable[str]) -> list[str]:
    return [f"{name} = [", *(f"    {q(v)}," for v in values), "]"]


SANDBOX_HEADER = """\
# Province-side data for the simulated provincial systems (the sandbox).
#
# GENERATED by tools/provinces.py (with adapters/provinces/*.toml): edit the tool, not this.
# None of this is real: the credentials, company names and codes exist only for the sandbox.
#
# Every family server hosts every province whose `family` names it, at the path prefix
# `/<code>`. A province lists the items it serves under its own codes (`kind` is a lookup
# generator in sandbox/lookups/ or an application kind, see sandbox/items.py), the
# credentials it issued, and its own spellings where they differ from its family's
# vocabulary (`[provinces.<code>.vocab]`; the family's common spelling is then refused).
"""

SANDBOX_SETTINGS = """\
[defaults]
# How long each case status lasts is not set here: `--step-seconds` / create_app() set it.
correction_wait_steps = 3        # steps (batch: runs) a correction request waits
token_ttl_seconds = 600          # OAuth token lifetime (rest_oauth)
send_time_window_seconds = 300   # allowed SendTime skew (soap_gbk)
latency_ms = 0
error_rate = 0.0
hang = false
slow_drip = 0                    # bytes per second; 0: off
malformed_rate = 0.0
wrong_encoding_rate = 0.0
down = false
callbacks_enabled = true         # batch_callback

[defaults.outcomes]              # relative weights, chosen by a hash of (province, serial)
approved = 0.8
correction = 0.1
rejected = 0.05
not_accepted = 0.05

[data]
# Generated data ends at this month. Leave it unset to anchor on the month before the
# current one; set it (YYYYMM) for data that never moves.
# anchor_month = "202512"
"""


def render_sandbox(items: list[ServiceItem], served: Mapping[str, list[ServiceItem]]) -> str:
    lines = [SANDBOX_HEADER, SANDBOX_SETTINGS]
    lines.append("\n# --- families: the common vocabulary (meaning -> wire key) " + "-" * 30)
    for family, vocab in VOCABULARIES.items():
        lines += ["", *table(f"families.{family}.vocab", vocab)]
    for family in VOCABULARIES:
        specs = [s for s in PROVINCE_TABLE if s.family == family]
        lines += ["", "", f"# === {family} " + "=" * (84 - len(family))]
        for spec in specs:
            lines += ["", *province_block(spec, items, served[spec.code])]
    return "\n".join(lines).rstrip() + "\n"


def province_block(spec: Spec, items: list[ServiceItem], served: list[ServiceItem]) -> list[str]:
    name = PROVINCES[spec.code]
    codes = local_codes(spec, items)
    lines = [
        f"# {name.en} ({name.zh}): {len(served)} of {len(items)} items",
        f"[provinces.{spec.code}]",
        f"name = {q(name.zh)}",
        f"family = {q(spec.family)}",
        f"letters = {q(spec.letters)}",
        f"abbr = {q(spec.abbr)}",
        f"decision_issuer = {q(spec.abbr + '人社决')}",
        f"cities = {value(spec.cities)}",
        *multiline_list("employers", employers(spec)),
        "",
        *table(f"provinces.{spec.code}.auth", province_auth(spec)),
    ]
    if spec.vocab:
        lines += ["", *table(f"provinces.{spec.code}.vocab", spec.vocab)]
    lines += ["", f"[provinces.{spec.code}.items]"]
    for item in served:
        entry = f"{{ kind = {q(sandbox_kind(item))}, name = {q(item.name_zh)} }}"
        lines.append(f"{q(codes[item.code])} = {entry}")
    return lines


def render_gateway(spec: Spec, items: list[ServiceItem], served: list[ServiceItem]) -> str:
    name = PROVINCES[spec.code]
    codes = local_codes(spec, items)
    header = KEPT_HEADERS.get(
        spec.code, f"# {name.en} ({name.zh}) — {FAMILY_TITLES[spec.family]}.\n"
    )
    secret_key = next(k for k in credentials(spec) if "secret" in k).upper()
    lines = [
        header
        + "# GENERATED by tools/provinces.py from the province's published catalogue\n"
        + "# (sandbox/provinces.toml): re-run the tool rather than editing this file.\n"
        + "# The credentials are the sandbox's, not real ones.",
        f"code = {q(spec.code)}",
        f"family = {q(spec.family)}",
        f'base_url = "http://127.0.0.1:{DEFAULT_PORTS[spec.family]}/{spec.code}"',
        f"timeout_seconds = {TIMEOUT_SECONDS!r}",
        "",
        "[credentials]",
        f'# Sandbox credentials. A real deployment writes "env:TONGBAN_{spec.letters}_'
        f'{secret_key}" here.',
        *(f"{k} = {q(v)}" for k, v in credentials(spec).items()),
    ]
    outbound, inbound = overrides(spec)
    if outbound:
        lines += ["", "# The province's own spellings (see its published vocabulary)."]
        lines += [*table("outbound", outbound), "", *table("inbound", inbound)]
    lines += ["", "[items]"]
    for item in served:
        lines.append(f"{item.code} = {{ local_code = {q(codes[item.code])} }}")
    return "\n".join(lines) + "\n"


def outputs() -> dict[Path, str]:
    """Every file the tool writes, with its content."""
    items = catalogue()
    served = coverage(items)
    files = {SANDBOX_FILE: render_sandbox(items, served)}
    for spec in PROVINCE_TABLE:
        path = ADAPTERS_DIR / f"{spec.code}.toml"
        files[path] = render_gateway(spec, items, served[spec.code])
    return files


def summary() -> str:
    items = catalogue()
    served = coverage(items)
    queries = {i.code for i in items if i.kind is Kind.query}
    rows = [f"{'province':<22}{'family':<16}{'items':>6}{'queries':>9}"]
    for spec in PROVINCE_TABLE:
        mine = served[spec.code]
        label = f"{spec.code} {PROVINCES[spec.code].en}"
        count = sum(i.code in queries for i in mine)
        rows.append(f"{label:<22}{spec.family:<16}{len(mine):>6}{count:>9}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    parser.add_argument("--summary", action="store_true", help="print items per province")
    args = parser.parse_args(argv)
    if len({s.code for s in PROVINCE_TABLE}) != len(PROVINCES) or set(PROVINCES) != {
        s.code for s in PROVINCE_TABLE
    }:
        raise SystemExit("the table must name each of the 31 provinces once")
    files = outputs()
    if args.summary:
        print(summary())
        return 0
    stale = [p for p, text in files.items() if not p.exists() or p.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(REPO)}")
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
