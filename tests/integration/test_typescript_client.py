"""The TypeScript client (openapi/clients/typescript) against a running gateway.

Builds the client with npm (``npm ci`` only when ``node_modules`` is missing or older than the
lock file), checks that ``src/schema.d.ts`` is what openapi-typescript makes of
``openapi/openapi.json``, then runs its Node tests (submit an application, poll it to a
terminal status, list items) against the gateway fixture. Without node or npm it skips, with
the reason; under ``TONGBAN_REQUIRE_SERVICES=1`` (CI) that is a failure instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gateway.settings import REPO_ROOT
from tests.conftest import unavailable
from tests.integration.conftest import Gateway

CLIENT = REPO_ROOT / "openapi" / "clients" / "typescript"
NPM_TIMEOUT = 300


def _npm(*args: str, cwd: Path = CLIENT) -> None:
    npm = shutil.which("npm")
    assert npm is not None
    result = subprocess.run(
        [npm, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, (
        f"npm {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    )


def _needs_install() -> bool:
    installed = CLIENT / "node_modules" / ".package-lock.json"
    lock = CLIENT / "package-lock.json"
    return not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime


@pytest.fixture(scope="module")
def built_client() -> Path:
    """The client, installed and compiled (``dist/``)."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        unavailable(f"{' and '.join(missing)} not on PATH: the TypeScript client needs Node 20+")
    if _needs_install():
        _npm("ci", "--no-audit", "--no-fund", "--prefer-offline")
    _npm("run", "build")
    return CLIENT


def test_generated_schema_is_current(built_client: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "schema.d.ts"
    _npm("exec", "--", "openapi-typescript", "../../openapi.json", "--output", str(fresh))
    assert (built_client / "src" / "schema.d.ts").read_text() == fresh.read_text(), (
        "openapi/clients/typescript/src/schema.d.ts is stale: run `make client`"
    )


async def test_client_submits_follows_and_lists(built_client: Path, gateway: Gateway) -> None:
    node = shutil.which("node")
    assert node is not None
    env = {
        **os.environ,
        "TONGBAN_URL": gateway.base_url,
        "TONGBAN_API_KEY": gateway.api_key,
        "NO_COLOR": "1",
    }
    process = await asyncio.create_subprocess_exec(
        node,
        "--test",
        "--test-reporter=spec",
        "dist/test/submit.test.js",
        cwd=built_client,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    text = output.decode(errors="replace")
    assert process.returncode == 0, f"node --test failed:\n{text}"
    # The Node tests skip themselves without the environment: make sure they ran.
    assert "ℹ pass 3" in text, text
    assert "ℹ skipped 0" in text, text
