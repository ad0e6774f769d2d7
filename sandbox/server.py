"""Serving family apps with uvicorn, on loopback only."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal
from collections.abc import Generator, Sequence
from typing import Literal

import uvicorn
from starlette.types import ASGIApp


class NotLoopback(ValueError):
    """The sandbox only ever listens on the loopback interface."""


def check_loopback(host: str) -> None:
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise NotLoopback(f"refusing to listen on {host!r}: the sandbox binds to loopback only")


class SandboxServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to `serve` (several share one loop)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def make_server(
    app: ASGIApp,
    host: str,
    port: int,
    *,
    log_level: str = "info",
    access_log: bool = True,
    loop: str = "auto",
    lifespan: Literal["auto", "on", "off"] = "off",
) -> SandboxServer:
    check_loopback(host)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        lifespan=lifespan,
        ws="none",
        loop=loop,
        timeout_graceful_shutdown=2,
    )
    return SandboxServer(config)


async def serve(servers: Sequence[SandboxServer]) -> None:
    """Runs the servers concurrently until SIGINT/SIGTERM (twice: force)."""
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server in servers:
            if server.should_exit:
                server.force_exit = True
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop)
    await asyncio.gather(*(server.serve() for server in servers))
