"""OAuth2 client credentials (RFC 6749 §4.4): an API key in, a short-lived token out.

The client authenticates with HTTP Basic (RFC 6749 §2.3.1, which servers must support and
most OAuth libraries use by default) or with ``client_id`` and ``client_secret`` in the form,
never both. Errors here follow RFC 6749 §5.2 (``{"error": …}``), which OAuth client
libraries expect, rather than problem+json: a missing or repeated parameter is
``invalid_request``, not a 422; a failed Basic authentication is a 401 with
``WWW-Authenticate``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Form, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gateway import scopes, security, tokens
from gateway.api.deps import RuntimeDep

router = APIRouter(tags=["auth"])


class TokenAnswer(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the token type, not a secret
    expires_in: int
    scope: str


class OAuthError(BaseModel):
    """RFC 6749 §5.2."""

    error: str = Field(examples=["invalid_request"])
    error_description: str | None = None


# Longest accepted value of each parameter.
_LIMITS = {"grant_type": 40, "client_id": 64, "client_secret": 200, "scope": 2000}
_CHALLENGE = {"WWW-Authenticate": 'Basic realm="tongban"'}


def _oauth_error(status: int, error: str, description: str, basic: bool = False) -> JSONResponse:
    """The error; a client that tried HTTP Basic is challenged (RFC 6749 §5.2)."""
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store", **(_CHALLENGE if basic else {})},
    )


def _form(name: str, description: str) -> Any:
    """A form parameter, its length documented but checked in ``_parameters`` (an RFC 6749
    error, not a 422)."""
    return Form(description=description, json_schema_extra={"maxLength": _LIMITS[name]})


class _Refused(Exception):
    def __init__(self, status: int, error: str, description: str, basic: bool = False) -> None:
        self.answer = _oauth_error(status, error, description, basic)


def _basic(authorization: str | None) -> tuple[str, str] | None:
    """The client's id and secret from an HTTP Basic ``Authorization``, if it sent one."""
    if authorization is None:
        return None
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        raise _Refused(400, "invalid_request", "client authentication is HTTP Basic or the form")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise _Refused(401, "invalid_client", "malformed Basic credentials", basic=True) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise _Refused(401, "invalid_client", "malformed Basic credentials", basic=True)
    # RFC 6749 §2.3.1: both are form-urlencoded before they are joined and encoded.
    return unquote_plus(client_id), unquote_plus(secret)


def _parameters(form: dict[str, str | None], basic: tuple[str, str] | None) -> dict[str, str]:
    if basic is not None:
        # Some libraries repeat the id in the form beside Basic: the same id is no second
        # authentication, a secret or another id is.
        if form["client_secret"] is not None or form["client_id"] not in (None, basic[0]):
            raise _Refused(400, "invalid_request", "authenticate one way: Basic or the form")
        form = {**form, "client_id": basic[0], "client_secret": basic[1]}
    missing = [name for name in ("grant_type", "client_id", "client_secret") if not form[name]]
    if missing:
        raise _Refused(400, "invalid_request", "missing: " + ", ".join(missing))
    long = [name for name, value in form.items() if value and len(value) > _LIMITS[name]]
    if long:
        raise _Refused(400, "invalid_request", "too long: " + ", ".join(long))
    return {name: value for name, value in form.items() if value}


@router.post(
    "/oauth/token",
    operation_id="issue_token",
    summary="Access token (client credentials) / 获取访问令牌",
    description=(
        "RFC 6749 §4.4. The client authenticates with HTTP Basic (its id and API key) or with "
        "`client_id` and `client_secret` in the form, not both."
    ),
    responses={
        400: {"model": OAuthError, "description": "RFC 6749 error (invalid_request, …)"},
        401: {"model": OAuthError, "description": "invalid_client"},
    },
)
async def issue_token(
    runtime: RuntimeDep,
    grant_type: Annotated[str | None, _form("grant_type", "client_credentials")] = None,
    client_id: Annotated[str | None, _form("client_id", "Unless sent with HTTP Basic")] = None,
    client_secret: Annotated[
        str | None, _form("client_secret", "The client's API key, unless sent with HTTP Basic")
    ] = None,
    scope: Annotated[str | None, _form("scope", "Space-separated; default: all granted")] = None,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Any:
    form = {
        "grant_type": grant_type,
        "client_id": client_id,
        "client_secret": client_secret,
        "scope": scope,
    }
    try:
        basic = _basic(authorization)
        asked = _parameters(form, basic)
    except _Refused as refused:
        return refused.answer
    if asked["grant_type"] != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only client_credentials")
    async with runtime.sessions() as session:
        client = await security.authenticate(
            session, secret_key=runtime.secret_key, api_key=asked["client_secret"]
        )
    if client is None or client.id != asked["client_id"]:
        return _oauth_error(
            401, "invalid_client", "unknown client or wrong secret", basic=basic is not None
        )
    scope = asked.get("scope")
    wanted = scope.split() if scope else list(client.scopes)
    if any(not scopes.allowed(client.scopes, s) for s in wanted):
        return _oauth_error(400, "invalid_scope", "a requested scope is not granted")
    await runtime.quotas.client(client.id, client.rate_per_minute)
    token, lifetime = tokens.issue(
        runtime.secret_key, client.id, wanted, runtime.settings.token_lifetime_seconds
    )
    runtime.audit(security.Principal.of(client), "token_issue", target=" ".join(wanted)[:80])
    return TokenAnswer(access_token=token, expires_in=lifetime, scope=" ".join(wanted))
