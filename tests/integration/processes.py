"""Gateway and worker processes for crash and multi-process tests (real OS processes)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from tests.conftest import DATA_KEY, SECRET_KEY


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(database_url: str, base_urls: dict[str, str], **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TONGBAN_")}
    env.update(
        {
            "TONGBAN_ENVIRONMENT": "test",
            "TONGBAN_DATABASE_URL": database_url,
            "TONGBAN_SECRET_KEY": SECRET_KEY,
            "TONGBAN_DATA_KEY": DATA_KEY,
            "TONGBAN_PROVINCE_BASE_URLS": json.dumps(base_urls),
            "TONGBAN_LEG_POLL_SECONDS": "0.1",
            "TONGBAN_WORKER_IDLE_SECONDS": "0.05",
            "TONGBAN_LEASE_SECONDS": "3",
            "TONGBAN_RETRY_BASE_SECONDS": "0.1",
            "TONGBAN_RETRY_MAX_SECONDS": "1",
            "TONGBAN_HEALTH_INTERVAL_SECONDS": "5",
            "TONGBAN_LOG_LEVEL": "WARNING",
            "TONGBAN_APPLICANT_SUBMISSIONS_PER_HOUR": "100000",
        }
    )
    env.update(extra)
    return env


class Process:
    """A ``tongban`` subcommand in its own process, with its output in a log file."""

    def __init__(self, args: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gateway", *args],
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing — a crash."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self._out.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()


def serve(port: int, env: dict[str, str], log: Path, *, workers: bool = True) -> Process:
    args = ["serve", "--port", str(port)] + ([] if workers else ["--no-workers"])
    process = Process(args, env, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.proc.poll() is not None:
            raise RuntimeError(f"gateway exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gateway did not start: {log.read_text()[-2000:]}")
