"""The `{"code", "msg", "data"}` envelope, business codes and status codes of `rest_oauth`."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from sandbox.lifecycle import Status

OK = "0000"
PARAMETER_ERROR = "1001"
ITEM_NOT_SERVED = "1002"
CASE_NOT_FOUND = "2001"
TOKEN_INVALID = "4010"
SYSTEM_ERROR = "5000"

# canonical status -> (zt, ztms)
ZT: dict[Status, tuple[str, str]] = {
    Status.received: ("1", "已接件"),
    Status.accepted: ("3", "已受理"),
    Status.not_accepted: ("4", "不受理"),
    Status.correction_requested: ("6", "补正"),
    Status.processing: ("8", "部门开始办理"),
    Status.closed_approved: ("11", "办结通过"),
    Status.closed_refused: ("12", "办结不通过"),
    Status.withdrawn: ("13", "撤件"),
}


def status_code(status: Status) -> str:
    return ZT[status][0]


class RestError(Exception):
    """A non-`0000` answer: business errors keep HTTP 200, as the vendor does."""

    def __init__(
        self, code: str, msg: str, http_status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{code} {msg}")
        self.code = code
        self.msg = msg
        self.http_status = http_status
        self.headers = headers

    def response(self) -> JSONResponse:
        return JSONResponse(
            {"code": self.code, "msg": self.msg, "data": None},
            status_code=self.http_status,
            headers=self.headers,
        )


def parameter_error(field: str, problem: str = "缺失或格式错误") -> RestError:
    return RestError(PARAMETER_ERROR, f"参数错误：{field} {problem}")


def token_error() -> RestError:
    return RestError(
        TOKEN_INVALID,
        "令牌缺失、无效或已过期",
        401,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def ok(data: Any) -> JSONResponse:
    return JSONResponse({"code": OK, "msg": "成功", "data": data})


def system_error() -> JSONResponse:
    return RestError(SYSTEM_ERROR, "系统错误", 500).response()
