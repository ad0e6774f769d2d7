"""RFC 9457 problem details: the gateway's only error shape.

    Problem                          (any status; rendered as application/problem+json)
    ├── built from RequestValidationError    422 validation, with ``errors``
    ├── built from adapters.errors.*         404/409 item-not-served, 502/503/504 upstream
    └── raised by routers                    401, 404, 409 …

Titles are bilingual ("English / 中文"); ``type`` is a stable URI per problem.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

TYPE_BASE = "https://tongban.dev/problems/"
MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """An error the client can act on."""

    def __init__(
        self,
        slug: str,
        status: int,
        title: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.slug = slug
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extensions = {k: v for k, v in extensions.items() if v is not None}

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extensions)
        return body


class FieldError(BaseModel):
    field: str = Field(
        description="Dotted path of the offending field, e.g. data.applicant.id_number"
    )
    message: str
    type: str


class ProblemDetails(BaseModel):
    """The documented shape of every error answer."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=[TYPE_BASE + "validation"])
    title: str = Field(examples=["Request validation failed / 请求参数校验失败"])
    status: int = Field(examples=[422])
    detail: str
    instance: str | None = None
    province: str | None = Field(default=None, description="The province concerned, if any")
    item: str | None = Field(default=None, description="The service item concerned, if any")
    errors: list[FieldError] | None = None


VALIDATION_TITLE = "Request validation failed / 请求参数校验失败"
MALFORMED_TITLE = "Malformed request / 请求格式错误"


def invalid(errors: list[dict[str, str]], detail: str | None = None, **extensions: Any) -> Problem:
    """The 422 of a request that does not validate; by default its detail lists the fields."""
    if detail is None:
        detail = "invalid: " + ", ".join(sorted({e["field"] for e in errors}))
    return Problem("validation", 422, VALIDATION_TITLE, detail, errors=errors, **extensions)


def invalid_field(
    field: str, message: str, *, detail: str | None = None, kind: str = "value_error"
) -> Problem:
    """The 422 of one offending field; its detail is the message unless given."""
    return invalid([{"field": field, "message": message, "type": kind}], detail or message)


def not_found(what: str, detail: str) -> Problem:
    return Problem("not-found", 404, f"{what} not found / 未找到", detail)


def unauthenticated(detail: str) -> Problem:
    return Problem(
        "unauthenticated",
        401,
        "Authentication required / 需要身份认证",
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="tongban"'},
    )
