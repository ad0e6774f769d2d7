"""Request-scoped dependencies, as type aliases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway import security
from gateway.problems import Problem, unauthenticated
from gateway.runtime import Runtime
from gateway.store.db import AsyncSession
from gateway.store.tables import Client


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]

_bearer = HTTPBearer(auto_error=False, description="API key issued to the client: `tbk_…`")


async def get_client(
    runtime: RuntimeDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Client:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthenticated("send the client's API key as 'Authorization: Bearer <key>'")
    client = await security.authenticate(
        session, secret_key=runtime.secret_key, api_key=credentials.credentials
    )
    if client is None:
        raise unauthenticated("the API key is unknown, revoked or disabled")
    return client


ClientDep = Annotated[Client, Depends(get_client)]


async def get_admin(client: ClientDep) -> Client:
    if client.kind != "admin":
        raise Problem(
            "forbidden", 403, "Forbidden / 无权访问", "this operation needs admin credentials"
        )
    return client


AdminDep = Annotated[Client, Depends(get_admin)]
