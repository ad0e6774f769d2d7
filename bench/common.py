"""Processes, ports, wrk runs and nginx configurations shared by the benchmarks."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
PYTHON = sys.executable
HOST = "127.0.0.1"

# Loopback ports, clear of PostgreSQL 5432, Redis 6379, the demo's 8000 and 9101-9104.
PORTS = {
    "sandbox": 18130,
    "upstream": 18101,  # nginx: the sandbox's recorded answers, canned
    "nginx": 18102,  # contestant (a): nginx proxy_pass
    "fastapi_httpx": 18103,  # (b)
    "starlette_aiohttp": 18104,  # (c)
    "fastapi_aiohttp": 18105,
    "fastapi_httpx_aiohttp": 18106,
    "gateway": 18110,
    "gateway2": 18111,  # the gateway with 2 processes, beside the one with 1
    "slow": 18120,  # fault proxy: +50 ms per answer, in front of the canned upstream
}


def free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None and not Path(f"/usr/sbin/{t}").exists()]
    if missing:
        raise SystemExit(
            f"missing {', '.join(missing)}: `make bench-deps` installs them "
            "(apt-get install nginx-light wrk valgrind)"
        )


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self, timeout: float = 10.0) -> None:
        if self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(5)

    def pids(self) -> list[int]:
        """The process and its children (uvicorn workers)."""
        found = [self.pid]
        try:
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        except OSError:
            return found
        for child in children:
            found.append(int(child))
        return found


def status_kb(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def start(
    name: str,
    cmd: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    logs: Path,
    cwd: Path = REPO,
) -> Proc:
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    handle = log.open("wb")
    popen = subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env={
            **{k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"},
            **(env or {}),
        },
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle.close()
    return Proc(name, popen, log)


def wait_http(url: str, timeout: float = 30.0, proc: Proc | None = None) -> float:
    """Seconds until ``url`` answers 2xx."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.popen.poll() is not None:
            raise RuntimeError(f"{proc.name} exited: see {proc.log}")
        try:
            if httpx.get(url, timeout=1.0).is_success:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s")


# -- wrk ------------------------------------------------------------------------------------

_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "non2xx": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""


def _lua_string(text: str) -> str:
    """A Lua long-bracket literal: no escapes to get wrong (UTF-8 passes through)."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


@dataclass
class Load:
    """One kind of request for wrk: method, path, headers, one body or several to rotate.

    ``delay_ms`` paces each connection: it pauses that long, on average, after every answer.
    Pauses are random (exponential) by default, so that the connections' requests arrive
    like independent users', at random moments. ``fixed_pauses`` makes every pause the same:
    connections that start together then stay in step and keep arriving in bursts.
    """

    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    bodies: list[str] = field(default_factory=list)
    delay_ms: float = 0.0
    fixed_pauses: bool = False

    def with_delay(self, delay_ms: float, *, fixed_pauses: bool = False) -> Load:
        return dataclasses.replace(self, delay_ms=delay_ms, fixed_pauses=fixed_pauses)

    def script(self) -> str:
        lines = [f"wrk.method = {_lua_string(self.method)}"]
        for name, value in self.headers.items():
            lines.append(f"wrk.headers[ {_lua_string(name)} ] = {_lua_string(value)}")
        if len(self.bodies) == 1:
            lines.append(f"wrk.body = {_lua_string(self.bodies[0])}")
        elif self.bodies:
            lines.append("local bodies = {" + ", ".join(_lua_string(b) for b in self.bodies) + "}")
            lines.append("local n = 0")
            lines.append(
                "request = function() n = n % #bodies + 1 "
                f"return wrk.format({_lua_string(self.method)}, {_lua_string(self.path)}, "
                "nil, bodies[n]) end"
            )
        if self.delay_ms and self.fixed_pauses:
            lines.append(f"delay = function() return {self.delay_ms:.3f} end")
        elif self.delay_ms:
            lines.append("math.randomseed(os.time())")
            lines.append(
                f"delay = function() return -math.log(1 - math.random()) * {self.delay_ms:.3f} end"
            )
        return "\n".join(lines) + "\n" + _DONE


def wrk(
    base_url: str,
    load: Load,
    *,
    connections: int = 50,
    duration: float = 8.0,
    threads: int = 1,
    timeout: float = 10.0,
) -> dict[str, Any]:
    """Run wrk; answers requests/s, p50/p90/p99 (ms), errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(load.script())
        script = fh.name
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                f"--timeout={timeout:g}s",
                "-s",
                script,
                base_url.rstrip("/") + load.path,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=True,
            timeout=duration + timeout + 30,
        ).stdout
    finally:
        os.unlink(script)
    line = next((x for x in out.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result (script error?):\n{out[-2000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return {
        "rps": round(raw["requests"] / seconds, 1),
        "requests": raw["requests"],
        "p50_ms": round(raw["p50_us"] / 1000, 3),
        "p90_ms": round(raw["p90_us"] / 1000, 3),
        "p99_ms": round(raw["p99_us"] / 1000, 3),
        "max_ms": round(raw["max_us"] / 1000, 3),
        "errors": errors,
        "non2xx": raw["non2xx"],
        "connections": connections,
        "seconds": round(seconds, 2),
    }


# -- nginx ----------------------------------------------------------------------------------


def nginx_conf(root: Path, servers: str) -> Path:
    """A self-contained nginx.conf (one worker, no logs, no daemon) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "logs").mkdir(exist_ok=True)
    conf = root / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
{servers}
}}
"""
    )
    return conf


def canned_upstream(port: int, answers: Mapping[str, tuple[str, str]], root: Path) -> str:
    """nginx server block answering recorded bodies: {location regex: (content-type, body)}.

    Bodies are files (``return 200 '…'`` is limited to 4 KB); any method gets them: the
    location answers 405 and ``error_page`` turns that into the file, fetched with GET.
    """
    canned = root / "canned"
    canned.mkdir(parents=True, exist_ok=True)
    blocks = []
    for n, (pattern, (ctype, body)) in enumerate(answers.items()):
        (canned / f"{n}.body").write_text(body)
        blocks.append(
            f"""        location ~ "{pattern}" {{
            error_page 405 =200 /_canned/{n}.body;
            return 405;
        }}
        location = /_canned/{n}.body {{
            internal;
            default_type {ctype};
            alias {canned}/{n}.body;
        }}"""
        )
    locations = "\n".join(blocks)
    return f"""    server {{
        listen {HOST}:{port} reuseport backlog=4096;
{locations}
        location / {{ return 404; }}
    }}"""


def proxy_server(port: int, upstream_port: int) -> str:
    return f"""    upstream sandbox {{
        server {HOST}:{upstream_port};
        keepalive 128;
    }}
    server {{
        listen {HOST}:{port} reuseport backlog=4096;
        location / {{
            proxy_pass http://sandbox;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}"""


def revision(ref: str) -> str:
    """A git revision's short name in this checkout."""
    return subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", ref],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


@contextlib.contextmanager
def worktree(ref: str) -> Iterator[Path]:
    """``ref`` checked out in a temporary git worktree, removed when the block ends."""
    tree = Path(tempfile.mkdtemp(prefix="tongban-base-"))
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", "--force", str(tree), ref],
        check=True,
        capture_output=True,
    )
    try:
        yield tree
    finally:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
            check=False, capture_output=True,
        )  # fmt: skip
