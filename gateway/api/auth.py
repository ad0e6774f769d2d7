"""OAuth2 client credentials (RFC 6749 §4.4): an API key in, a short-lived token out.

Errors here follow RFC 6749 §5.2 (``{"error": …}``), which OAuth client libraries expect,
rather than problem+json.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from gateway import scopes, security, tokens
from gateway.api.deps import RuntimeDep

router = APIRouter(tags=["auth"])


class TokenAnswer(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the token type, not a secret
    expires_in: int
    scope: str


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


@router.post(
    "/oauth/token",
    operation_id="issue_token",
    summary="Access token (client credentials) / 获取访问令牌",
    responses={400: {"description": "RFC 6749 error"}, 401: {"description": "invalid_client"}},
)
async def issue_token(
    runtime: RuntimeDep,
    grant_type: Annotated[str, Form(max_length=40)],
    client_id: Annotated[str, Form(max_length=64)],
    client_secret: Annotated[str, Form(max_length=200, description="The client's API key")],
    scope: Annotated[str | None, Form(max_length=2000)] = None,
) -> Any:
    if grant_type != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only client_credentials")
    async with runtime.sessions() as session:
        client = await security.authenticate(
            session, secret_key=runtime.secret_key, api_key=client_secret
        )
    if client is None or client.id != client_id:
        return _oauth_error(401, "invalid_client", "unknown client or wrong secret")
    wanted = scope.split() if scope else list(client.scopes)
    if any(not scopes.allowed(client.scopes, s) for s in wanted):
        return _oauth_error(400, "invalid_scope", "a requested scope is not granted")
    await runtime.quotas.client(client.id, client.rate_per_minute)
    token, lifetime = tokens.issue(
        runtime.secret_key, client.id, wanted, runtime.settings.token_lifetime_seconds
    )
    runtime.audit(security.Principal.of(client), "token_issue", target=" ".join(wanted)[:80])
    return TokenAnswer(access_token=token, expires_in=lifetime, scope=" ".join(wanted))
