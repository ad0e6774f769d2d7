"""The ``{"code", "msg", "data"}`` envelope the JSON vendor platforms share: only the
success code and the error table differ, so each family passes its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.errors import AdapterError, UpstreamProtocolError


def unwrap(
    payload: Any, *, ok: str, error_for: Callable[..., AdapterError], province: str
) -> dict[str, Any]:
    """The ``data`` of a success envelope, or the family's mapped error."""
    if not isinstance(payload, dict) or "code" not in payload:
        raise UpstreamProtocolError("answer is not a vendor envelope", province=province)
    code = str(payload["code"])
    if code == ok:
        data = payload.get("data")
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise UpstreamProtocolError("envelope data is not an object", province=province)
        return data
    raise error_for(code, str(payload.get("msg") or ""), province=province)
