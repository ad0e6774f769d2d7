"""The one boundary where adapter errors become problem+json (502/503/504, 409)."""

from __future__ import annotations

from adapters.errors import (
    AdapterError,
    CaseNotFound,
    ItemNotServed,
    UpstreamAuthFailed,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from gateway.problems import Problem


def problem_for(exc: AdapterError, item: str | None = None) -> Problem:
    province = exc.province
    common = {"province": province, "item": item, "provincial_code": exc.code}
    if isinstance(exc, UpstreamTimeout):
        return Problem("upstream-timeout", 504, "Province did not answer in time / 省级系统响应超时",
                       f"province {province}: {exc.message}", **common)
    if isinstance(exc, UpstreamUnavailable):
        return Problem("upstream-unavailable", 503,
                       "Province unavailable / 省级系统暂不可用",
                       f"province {province}: {exc.message}",
                       headers={"Retry-After": "30"}, **common)
    if isinstance(exc, UpstreamAuthFailed):
        return Problem("upstream-auth", 502, "Province refused the gateway's credentials / "
                       "省级系统拒绝网关凭据", f"province {province}: {exc.message}", **common)
    if isinstance(exc, UpstreamProtocolError):
        return Problem("upstream-protocol", 502, "Bad answer from a province / 省级系统应答异常",
                       f"province {province}: {exc.message}", **common)
    if isinstance(exc, ItemNotServed):
        return Problem("item-not-served", 409,
                       "Item not served by this province / 该省份暂未开通此事项",
                       f"province {province} does not serve this item ({exc.message})",
                       **common)
    if isinstance(exc, UpstreamRejected):
        return Problem("upstream-rejected", 422, "Province refused the request / 省级系统拒绝请求",
                       f"province {province}: {exc.message}", **common)
    if isinstance(exc, CaseNotFound):
        return Problem("upstream-not-found", 502, "Province lost the case / 省级系统未找到办件",
                       f"province {province}: {exc.message}", **common)
    return Problem("upstream-error", 502, "Province error / 省级系统错误",
                   f"province {province}: {exc.message}", **common)
