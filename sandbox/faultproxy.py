"""A TCP proxy with toxics, between the gateway and a province, for tests and benchmarks.

The sandbox's own fault switches (``PUT /_sandbox/config``: latency, error_rate, hang) act
inside the province's HTTP server. This proxy breaks what lies below HTTP: slow or dripping
bytes, resets, truncated and garbled answers, a port that refuses connections::

    from sandbox.faultproxy import FaultProxy

    async with FaultProxy(("127.0.0.1", sandbox_port)) as proxy:  # a free loopback port
        base_url = f"{proxy.url}/440000"
        proxy.set(slow_drip_bytes_per_second=2)   # answers trickle out, a byte at a time
        proxy.set(malformed=True)                 # toxics combine; set() changes some
        proxy.clear()                             # no toxics: a plain proxy again

From the command line (another process, e.g. a benchmark), with a control API::

    python -m sandbox.faultproxy --upstream 127.0.0.1:9101 --port 9201 --control-port 9202
    curl -X PUT 127.0.0.1:9202/toxics -d '{"latency_ms": 50}'   # answers the effective toxics
    curl 127.0.0.1:9202/toxics                                  # toxics and counters
    curl -X DELETE 127.0.0.1:9202/toxics                        # clear

Toxics (``Toxics``), applied to the province's answers (downstream):

| toxic | effect |
|---|---|
| ``latency_ms`` (+ ``jitter_ms``) | each chunk of the answer waits this long before it is sent |
| ``slow_drip_bytes_per_second`` | the answer is sent one byte at a time at this rate |
| ``truncate_after_bytes`` | at most this many bytes of the answer, then the connection closes |
| ``malformed`` | every answer body is replaced byte for byte with ``#`` (head and length kept) |
| ``timeout`` | requests are swallowed, nothing is answered; the connection stays open |
| ``reset`` | connections are reset (TCP RST) at once, and open ones at their next chunk |
| ``down`` | the port refuses connections (the listener is closed until ``down`` is off) |

Only loopback addresses are accepted, for listening and for the upstream. Nothing here
imports ``gateway``, ``adapters`` or ``schemas``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import random
import socket
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from sandbox.server import check_loopback

_CHUNK = 65536


@dataclass(frozen=True)
class Toxics:
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    slow_drip_bytes_per_second: float = 0.0
    truncate_after_bytes: int | None = None
    malformed: bool = False
    timeout: bool = False
    reset: bool = False
    down: bool = False

    def __post_init__(self) -> None:
        for name in ("latency_ms", "jitter_ms", "slow_drip_bytes_per_second"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be ≥ 0")
        if self.truncate_after_bytes is not None and self.truncate_after_bytes < 0:
            raise ValueError("truncate_after_bytes must be ≥ 0")


@dataclass
class Counters:
    connections: int = 0
    active: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    resets: int = 0


class _Cut(Exception):
    """Close the connection now (truncation, reset)."""


class _Garbler:
    """Replaces HTTP/1.1 answer bodies with ``#``, keeping heads and Content-Length."""

    def __init__(self) -> None:
        self._head = b""
        self._remaining = 0
        self._stream = False  # no Content-Length (chunked or till close): garble it all

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        while data:
            if self._stream:
                out += b"#" * len(data)
                break
            if self._remaining:
                take = min(self._remaining, len(data))
                out += b"#" * take
                self._remaining -= take
                data = data[take:]
                continue
            self._head += data
            end = self._head.find(b"\r\n\r\n")
            if end < 0:
                break  # hold the head until it is complete
            head, data = self._head[: end + 4], self._head[end + 4 :]
            self._head = b""
            out += head
            length = _content_length(head)
            if length is None:
                self._stream = True
            else:
                self._remaining = length
        return bytes(out)


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                return int(value.strip())
            except ValueError:
                return None
    return None


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST rather than a FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultProxy:
    """One listening port forwarding to one upstream, with live-switchable toxics."""

    def __init__(
        self,
        upstream: tuple[str, int],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        toxics: Toxics | None = None,
    ) -> None:
        check_loopback(host)
        check_loopback(upstream[0])
        self.upstream = upstream
        self.host = host
        self.port = port
        self.toxics = toxics or Toxics()
        self.counters = Counters()
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._pending: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- life ----------------------------------------------------------------------------

    async def start(self) -> FaultProxy:
        if not self.toxics.down:
            await self._listen()
        elif self.port == 0:
            raise ValueError("a proxy that starts down needs a fixed port")
        return self

    async def stop(self) -> None:
        await self._close_listener()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def __aenter__(self) -> FaultProxy:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- toxics --------------------------------------------------------------------------

    def set(self, **changes: Any) -> Toxics:
        """Change some toxics (unknown names raise TypeError); answers the effective ones.

        ``down`` takes effect at once in a running loop (the listener closes or reopens).
        """
        was_down = self.toxics.down
        self.toxics = dataclasses.replace(self.toxics, **changes)
        if self.toxics.down != was_down:
            change = self._close_listener() if self.toxics.down else self._listen()
            self._pending = asyncio.get_running_loop().create_task(change)
        if self.toxics.reset:
            for task in list(self._connections):
                task.cancel()
        return self.toxics

    def clear(self) -> Toxics:
        return self.set(**dataclasses.asdict(Toxics()))

    async def apply(self, **changes: Any) -> Toxics:
        """``set`` and wait until a change of ``down`` has taken effect."""
        toxics = self.set(**changes)
        pending, self._pending = self._pending, None
        if pending is not None:
            await pending
        return toxics

    # -- plumbing ------------------------------------------------------------------------

    async def _listen(self) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(
            self._accept, self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close_listener(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1.0)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        self.counters.connections += 1
        self.counters.active += 1
        try:
            await self._serve(reader, writer)
        except asyncio.CancelledError:
            if self.toxics.reset:
                self.counters.resets += 1
                _abort(writer)
        finally:
            self.counters.active -= 1
            self._connections.discard(task)
            if not writer.is_closing():
                writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.toxics.reset:
            self.counters.resets += 1
            _abort(writer)
            return
        if self.toxics.timeout:
            while await reader.read(_CHUNK):
                pass  # swallowed; the client gives up
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            _abort(writer)
            return
        up = asyncio.ensure_future(self._upstream(reader, up_writer))
        down = asyncio.ensure_future(self._downstream(up_reader, writer))
        try:
            await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
            if up.done() and not down.done():
                # The client finished sending (or left): let the answer drain, then close.
                await down
        finally:
            for task in (up, down):
                task.cancel()
            await asyncio.gather(up, down, return_exceptions=True)
            up_writer.close()
            cut = down.done() and not down.cancelled() and isinstance(down.exception(), _Cut)
            if cut and self.toxics.reset:
                self.counters.resets += 1
                _abort(writer)

    async def _upstream(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(_CHUNK):
            if self.toxics.timeout:
                continue
            self.counters.bytes_up += len(data)
            writer.write(data)
            await writer.drain()
        with contextlib.suppress(OSError):
            if writer.can_write_eof():
                writer.write_eof()

    async def _downstream(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        garbler: _Garbler | None = None
        sent = 0
        while data := await reader.read(_CHUNK):
            toxics = self.toxics
            if toxics.reset:
                raise _Cut
            if toxics.timeout:
                continue
            if toxics.malformed:
                garbler = garbler or _Garbler()
                data = garbler.feed(data)
            cut = False
            if toxics.truncate_after_bytes is not None:
                left = toxics.truncate_after_bytes - sent
                if len(data) >= left:
                    data, cut = data[: max(left, 0)], True
            if toxics.latency_ms or toxics.jitter_ms:
                delay = toxics.latency_ms + random.uniform(0, toxics.jitter_ms)
                await asyncio.sleep(delay / 1000)
            rate = toxics.slow_drip_bytes_per_second
            if rate > 0:
                for i in range(len(data)):
                    writer.write(data[i : i + 1])
                    await writer.drain()
                    await asyncio.sleep(1 / rate)
            elif data:
                writer.write(data)
                await writer.drain()
            sent += len(data)
            self.counters.bytes_down += len(data)
            if cut:
                raise _Cut
        with contextlib.suppress(OSError):
            if writer.can_write_eof():
                writer.write_eof()


# -- a tiny control API, for a proxy in another process -----------------------------------


async def _control(
    proxy: FaultProxy, reader: asyncio.StreamReader, w: asyncio.StreamWriter
) -> None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        method, path, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        body = await reader.readexactly(_content_length(head) or 0)
        status, answer = 200, dict[str, Any]()
        if path.rstrip("/") != "/toxics":
            status, answer = 404, {"error": "only /toxics"}
        elif method == "PUT":
            try:
                await proxy.apply(**json.loads(body or b"{}"))
            except (TypeError, ValueError) as exc:
                status, answer = 422, {"error": str(exc)}
        elif method == "DELETE":
            await proxy.apply(**dataclasses.asdict(Toxics()))
        elif method != "GET":
            status, answer = 405, {"error": "GET, PUT or DELETE"}
        if status == 200:
            answer = {
                "toxics": dataclasses.asdict(proxy.toxics),
                "counters": dataclasses.asdict(proxy.counters),
            }
        payload = json.dumps(answer).encode()
        w.write(
            f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n"
            f"content-length: {len(payload)}\r\nconnection: close\r\n\r\n".encode()
            + payload
        )
        await w.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        pass
    finally:
        w.close()


@dataclass
class _Options:
    upstream: tuple[str, int]
    host: str
    port: int
    control_port: int | None
    toxics: dict[str, Any] = field(default_factory=dict)


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


async def _main(options: _Options) -> None:
    proxy = FaultProxy(options.upstream, host=options.host, port=options.port)
    proxy.toxics = Toxics(**options.toxics)
    await proxy.start()
    print(f"faultproxy {proxy.url} -> {options.upstream[0]}:{options.upstream[1]}", flush=True)
    servers = []
    if options.control_port is not None:
        servers.append(
            await asyncio.start_server(
                lambda r, w: _control(proxy, r, w), options.host, options.control_port
            )
        )
        print(f"control http://{options.host}:{options.control_port}/toxics", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        for server in servers:
            server.close()
        await proxy.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.faultproxy", description=__doc__)
    parser.add_argument("--upstream", required=True, help="host:port to forward to (loopback)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control-port", type=int, default=None)
    parser.add_argument("--toxics", default="{}", help="initial toxics as JSON")
    args = parser.parse_args(argv)
    options = _Options(
        _address(args.upstream), args.host, args.port, args.control_port, json.loads(args.toxics)
    )
    try:
        check_loopback(options.host)
        check_loopback(options.upstream[0])
    except ValueError as exc:
        parser.error(str(exc))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(options))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
