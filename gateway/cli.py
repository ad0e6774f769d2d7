"""``tongban``: serve, run workers, the demo, database and OpenAPI chores."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer
import uvicorn
from rich.console import Console

from gateway.settings import REPO_ROOT, Settings

app = typer.Typer(no_args_is_help=True, help="Tongban 通办 — inter-provincial services gateway")
db_app = typer.Typer(no_args_is_help=True, help="Database migrations")
openapi_app = typer.Typer(no_args_is_help=True, help="The OpenAPI document")
app.add_typer(db_app, name="db")
app.add_typer(openapi_app, name="openapi")


def _ops() -> None:
    from gateway.cli_ops import adapters_app, audit_app, clients_app, data_app, provinces_app

    app.add_typer(provinces_app, name="provinces")
    app.add_typer(adapters_app, name="adapters")
    app.add_typer(clients_app, name="clients")
    app.add_typer(audit_app, name="audit")
    app.add_typer(data_app, name="data")


console = Console(stderr=True)

LOOPBACK = ("127.0.0.1", "localhost", "::1")
# uvicorn's httptools protocol, answering unparseable requests as problems (http_protocol).
HTTP_PROTOCOL = "gateway.http_protocol:GatewayHttpProtocol"
Host = Annotated[str, typer.Option(help="Interface to bind (loopback unless you mean it)")]
Port = Annotated[int, typer.Option(help="TCP port", min=1, max=65535)]


def _settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValueError as exc:
        console.print(f"[red]invalid settings:[/red] {exc}")
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Annotated[bool, typer.Option(help="Run delivery workers in-process")] = True,
    processes: Annotated[
        int, typer.Option(help="Server processes sharing the port (uvicorn workers)", min=1)
    ] = 1,
) -> None:
    """Serve the gateway API."""
    common: dict[str, object] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,  # the gateway writes its own (JSON, with request ids)
        "proxy_headers": False,
        "server_header": False,
        "http": HTTP_PROTOCOL,
    }
    if processes > 1:
        # Each process builds its app from the environment; metrics are aggregated across
        # processes through PROMETHEUS_MULTIPROC_DIR (gateway/metrics.py).
        _settings(run_workers=workers)  # fail here, once, on invalid settings
        os.environ["TONGBAN_RUN_WORKERS"] = "true" if workers else "false"
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            import tempfile

            os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="tongban-metrics-")
        uvicorn.run("gateway.app:app_from_environment", factory=True, workers=processes, **common)  # type: ignore[arg-type]
        return
    from gateway import gctuning
    from gateway.app import create_app

    settings = _settings(run_workers=workers)
    with gctuning.building():
        application = create_app(settings)
    uvicorn.run(application, **common)  # type: ignore[arg-type]


@app.command()
def worker() -> None:
    """Run the background workers only (no API); several may share one PostgreSQL database."""
    from gateway import province_sync, workers
    from gateway.app import build_runtime
    from gateway.catalogue import Catalogue

    settings = _settings()

    async def main() -> None:
        runtime = build_runtime(settings, Catalogue.load())
        await province_sync.sync_once(runtime)
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):  # end the rounds in progress, then exit
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        loops = workers.start(runtime, stop)
        sync = asyncio.create_task(
            province_sync.run_forever(runtime, settings.registry_sync_seconds)
        )
        try:
            await asyncio.wait(loops)
        finally:
            sync.cancel()
            await workers.finish(loops, stop)
            await runtime.http.aclose()
            await runtime.engine.dispose()

    asyncio.run(main())


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    from gateway.store.migrate import upgrade

    settings = _settings(environment=os.environ.get("TONGBAN_ENVIRONMENT", "demo"))
    _ensure_sqlite_dir(settings.database_url)
    upgrade(settings.database_url, revision)
    console.print(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (``base`` for empty)."""
    from gateway.store.migrate import downgrade

    settings = _settings(environment=os.environ.get("TONGBAN_ENVIRONMENT", "demo"))
    downgrade(settings.database_url, revision)
    console.print(f"database at {revision}")


@openapi_app.command("export")
def openapi_export(
    output: Annotated[Path, typer.Option(help="Where to write")] = REPO_ROOT
    / "openapi"
    / "openapi.json",
) -> None:
    """Write the OpenAPI 3.1 document."""
    from gateway.openapi import render

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render())
    console.print(f"wrote {output}")


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite") and ":///" in url:
        path = url.split(":///", 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


def _wait_until_up(url: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout:g} s")


@app.command()
def demo(
    port: Port = 8000,
    rest_port: Annotated[int, typer.Option(help="Sandbox JSON REST provinces")] = 9101,
    soap_port: Annotated[int, typer.Option(help="Sandbox SOAP/GBK provinces")] = 9102,
    form_port: Annotated[int, typer.Option(help="Sandbox signed-form provinces")] = 9103,
    batch_port: Annotated[int, typer.Option(help="Sandbox batch/callback provinces")] = 9104,
    step_seconds: Annotated[float, typer.Option(help="Sandbox case progression step")] = 2.0,
) -> None:
    """Migrate, start the sandbox provincial systems and the gateway, print what to try.

    TONGBAN_DEMO_API_KEY fixes the demo client's key; otherwise one is generated (and kept in
    var/demo-secrets.json for the next run).
    """
    from gateway.app import create_app
    from gateway.demo import ensure_demo_clients, try_this
    from gateway.registry import load_province_files

    ports = {
        "rest_oauth": rest_port,
        "soap_gbk": soap_port,
        "form_sm3": form_port,
        "batch_callback": batch_port,
    }
    provinces_dir = Settings(environment="demo").provinces_dir
    overrides = {
        c.code: f"http://127.0.0.1:{ports[c.family]}/{c.code}"
        for c in load_province_files(provinces_dir)
        if c.family in ports
    }
    settings = _settings(
        environment="demo",
        province_base_urls=overrides,
        public_url=f"http://127.0.0.1:{port}",
        log_json=False,
        log_level="WARNING",
        health_interval_seconds=10.0,
    )
    _ensure_sqlite_dir(settings.database_url)
    from gateway.store.migrate import upgrade

    upgrade(settings.database_url)
    api_key, admin_key = asyncio.run(
        ensure_demo_clients(settings, os.environ.get("TONGBAN_DEMO_API_KEY"))
    )
    sandbox = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "sandbox",
            "serve-all",
            "--rest-port",
            str(rest_port),
            "--soap-port",
            str(soap_port),
            "--form-port",
            str(form_port),
            "--batch-port",
            str(batch_port),
            "--step-seconds",
            str(step_seconds),
            "--log-level",
            "warning",
        ],
        cwd=REPO_ROOT,
    )
    try:
        for family_port in ports.values():
            _wait_until_up(f"http://127.0.0.1:{family_port}/_sandbox/health")
        console.print(try_this(port, api_key, admin_key))
        uvicorn.run(
            create_app(settings),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            server_header=False,
            http=HTTP_PROTOCOL,
        )
    finally:
        sandbox.terminate()
        try:
            sandbox.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sandbox.kill()


@app.command("items")
def list_items() -> None:
    """Print the catalogue as JSON lines (code, batch, kind, modes)."""
    from gateway.catalogue import Catalogue

    for item in Catalogue.load().items():
        typer.echo(
            json.dumps(
                {
                    "code": item.code,
                    "batch": item.batch,
                    "kind": item.kind,
                    "modes": [m.value for m in item.modes],
                },
                ensure_ascii=False,
            )
        )


_ops()

if __name__ == "__main__":  # pragma: no cover
    app()
