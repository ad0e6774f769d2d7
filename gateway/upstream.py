"""The one boundary where adapter errors become problem+json (502/503/504, 409, 422)."""

from __future__ import annotations

import math

from adapters.errors import (
    AdapterError,
    CaseNotFound,
    CircuitOpen,
    ItemNotServed,
    ProvinceOverloaded,
    UpstreamAuthFailed,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from gateway.problems import Problem

# Most specific first: (error class, slug, status, bilingual title)
_TABLE: tuple[tuple[type[AdapterError], str, int, str], ...] = (
    (
        CircuitOpen,
        "circuit-open",
        503,
        "Province temporarily cut off after repeated failures / 省级系统故障，暂停调用",
    ),
    (
        ProvinceOverloaded,
        "province-overloaded",
        503,
        "Too many calls to this province in flight / 省级系统调用繁忙",
    ),
    (
        UpstreamTimeout,
        "upstream-timeout",
        504,
        "Province did not answer in time / 省级系统响应超时",
    ),
    (UpstreamUnavailable, "upstream-unavailable", 503, "Province unavailable / 省级系统暂不可用"),
    (
        UpstreamAuthFailed,
        "upstream-auth",
        502,
        "Province refused the gateway's credentials / 省级系统拒绝网关凭据",
    ),
    (
        UpstreamProtocolError,
        "upstream-protocol",
        502,
        "Bad answer from a province / 省级系统应答异常",
    ),
    (
        ItemNotServed,
        "item-not-served",
        409,
        "Item not served by this province / 该省份暂未开通此事项",
    ),
    (UpstreamRejected, "upstream-rejected", 422, "Province refused the request / 省级系统拒绝请求"),
    (CaseNotFound, "upstream-not-found", 502, "Province lost the case / 省级系统未找到办件"),
)


def problem_for(exc: AdapterError, item: str | None = None) -> Problem:
    slug, status, title = "upstream-error", 502, "Province error / 省级系统错误"
    for cls, slug_, status_, title_ in _TABLE:
        if isinstance(exc, cls):
            slug, status, title = slug_, status_, title_
            break
    headers = None
    retry_after = None
    if status == 503:
        after = getattr(exc, "retry_after", None)
        seconds = max(1, math.ceil(after)) if isinstance(after, int | float) else 30
        headers = {"Retry-After": str(seconds)}
        # Also in the body: per-province answers of a fan-out carry no headers, and a query
        # of one province answers with its one failure, rebuilt from the body.
        retry_after = seconds
    return Problem(
        slug,
        status,
        title,
        # The province's own words go to the caller whose request it answered, and nowhere
        # else (they may quote that request's personal data).
        f"province {exc.province}: {exc.message}"
        + (f" — {exc.province_says}" if exc.province_says else ""),
        headers=headers,
        province=exc.province,
        item=item,
        retry_after=retry_after,
        provincial_code=exc.code,
    )
