"""Request-scoped dependencies, as type aliases.

``ClientDep`` authenticates (API key or access token), checks the request signature where
the client's policy demands one, checks the scope the route needs (deny by default), and
counts the request against the client's rate limit — in that order, so a refused request
costs as little as possible.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated

import jwt
from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway import scopes, signing, tokens
from gateway.problems import Problem, unauthenticated
from gateway.runtime import Runtime
from gateway.security import Principal
from gateway.store.db import AsyncSession


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]

_bearer = HTTPBearer(auto_error=False, description="API key (`tbk_…`) or access token")


async def _principal(runtime: Runtime, credential: str) -> Principal | None:
    if tokens.looks_like_token(credential):
        try:
            claims = tokens.verify(runtime.secret_key, credential)
        except jwt.InvalidTokenError:
            return None
        found = await runtime.clients.by_id(claims.client_id)
        # A token carries at most the client's scopes, as they are now.
        return (
            found.with_scopes(tuple(s for s in claims.scopes if s in found.scopes))
            if found
            else None
        )
    return await runtime.clients.by_key(runtime.secret_key, credential)


async def get_client(
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    _scheme: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # ``_scheme`` declares the security scheme in the OpenAPI document; the credential is
    # read by ``bearer()``, the one reader the query route uses too.
    route = request.scope.get("route")
    principal, headers = await authorize(
        request,
        runtime,
        bearer(request.headers.get("authorization")),
        getattr(route, "path", request.url.path),
    )
    response.headers.update(headers)
    return principal


def bearer(header: str | None) -> str | None:
    """The credential of an ``Authorization: Bearer …`` header (scheme case-insensitive)."""
    scheme, _, credential = (header or "").partition(" ")
    credential = credential.strip()
    return credential if scheme.lower() == "bearer" and credential else None


async def authorize(
    request: Request, runtime: Runtime, credential: str | None, route_path: str
) -> tuple[Principal, dict[str, str]]:
    """The client behind ``credential``, allowed on this route, counted against its rate
    limit; with the rate-limit headers for the answer. Raises a problem otherwise."""
    if credential is None:
        raise unauthenticated("send 'Authorization: Bearer <API key or access token>'")
    principal = await _principal(runtime, credential)
    if principal is None:
        raise unauthenticated("the credential is unknown, expired, revoked or disabled")
    if principal.signing_required:
        await _check_signature(request, runtime, principal)
    needed = scopes.required(request.method, route_path)
    if needed is None or not scopes.allowed(principal.scopes, needed):
        raise Problem(
            "insufficient-scope",
            403,
            "Forbidden / 无权访问",
            f"this operation needs the scope {needed!r}"
            if needed
            else "no client may call this operation",
            required_scope=needed,
        )
    verdict = await runtime.quotas.client(principal.id, principal.rate_per_minute)
    return principal, verdict.headers()


async def _check_signature(request: Request, runtime: Runtime, principal: Principal) -> None:
    if principal.signing_secret_sealed is None:
        raise Problem(
            "signature-invalid",
            401,
            "Bad signature / 签名无效",
            "this client has no signing secret; rotate its credentials",
        )
    secret = runtime.sealer.open(principal.signing_secret_sealed, bound_to=f"client:{principal.id}")
    body = await request.body()
    nonce, stamp = signing.check(
        request.headers,
        client_id=principal.id,
        secret=secret,
        method=request.method,
        path=request.url.path,
        query=request.url.query,
        body=body,
        now=time.time(),
    )
    await signing.spend_nonce(runtime.sessions, principal.id, nonce, stamp)


ClientDep = Annotated[Principal, Depends(get_client)]
AdminDep = ClientDep  # the admin routes need the ``admin`` scope, which ClientDep checks
