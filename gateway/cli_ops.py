"""Ops commands: provinces, the conformance kit, clients. They act on the database directly;
running gateways pick province changes up within ``registry_sync_seconds``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import tomllib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from adapters.base import ItemBinding, ProvinceConfig
from gateway import audit, province_admin, province_sync, security
from gateway.app import build_runtime
from gateway.audit import Entry
from gateway.catalogue import Catalogue
from gateway.conformance import Subject, run_checks
from gateway.health import check_all
from gateway.reseal import reseal
from gateway.runtime import Runtime
from gateway.settings import Settings
from gateway.store.tables import Client

provinces_app = typer.Typer(no_args_is_help=True, help="Province adapters (register, enable…)")
adapters_app = typer.Typer(no_args_is_help=True, help="Adapter families and the conformance kit")
clients_app = typer.Typer(no_args_is_help=True, help="API clients")
audit_app = typer.Typer(no_args_is_help=True, help="The audit trail")
data_app = typer.Typer(no_args_is_help=True, help="Personal data at rest (data key rotation)")
out = Console()
err = Console(stderr=True)
T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        err.print(
            f"[red]invalid settings:[/red] {exc}\n(on a demo machine: "
            "TONGBAN_ENVIRONMENT=demo tongban …)"
        )
        raise typer.Exit(2) from None


@contextlib.asynccontextmanager
async def _runtime() -> AsyncIterator[Runtime]:
    settings = _settings()
    runtime = build_runtime(settings, Catalogue.load())
    try:
        await province_sync.sync_once(runtime)
        yield runtime
    finally:
        await runtime.http.aclose()
        await runtime.engine.dispose()


def _run(work: Callable[[Runtime], Awaitable[T]]) -> T:
    async def main() -> T:
        async with _runtime() as runtime:
            return await work(runtime)

    try:
        return asyncio.run(main())
    except (province_admin.UnknownItems, province_admin.ConfigurationError, KeyError) as exc:
        err.print(f"[red]refused:[/red] {getattr(exc, 'message', exc)}")
        raise typer.Exit(1) from None


def _config(runtime: Runtime, code: str) -> ProvinceConfig:
    config = province_admin.current(runtime, code)
    if config is None:
        raise KeyError(f"no adapter is configured for province {code}")
    return config


def _table(runtime: Runtime) -> Table:
    table = Table("code", "name", "family", "enabled", "healthy", "source", "items")
    for c in runtime.registry.configs():
        health = runtime.registry.health.get(c.code)
        table.add_row(
            c.code,
            c.name_zh,
            c.family,
            "yes" if c.enabled else "no",
            "yes" if health and health.healthy else "no",
            "database" if c.code in runtime.registry.versions else "file",
            str(len(c.items)),
        )
    return table


@provinces_app.command("list")
def provinces_list() -> None:
    """Every configured province with its family, state and coverage."""

    async def work(runtime: Runtime) -> None:
        await check_all(runtime.registry)
        out.print(_table(runtime))

    _run(work)


@provinces_app.command("show")
def provinces_show(code: str) -> None:
    """One province's configuration (credential values hidden)."""

    async def work(runtime: Runtime) -> None:
        config = _config(runtime, code)
        shown = config.model_dump(mode="json")
        shown["credentials"] = {k: "***" for k in config.credentials}
        out.print_json(json.dumps(shown, ensure_ascii=False))

    _run(work)


@provinces_app.command("register")
def provinces_register(
    file: Annotated[Path, typer.Argument(help="A province TOML, like adapters/provinces/*.toml")],
) -> None:
    """Register (or replace) a province from a configuration file."""
    with file.open("rb") as fh:
        config = ProvinceConfig.model_validate(tomllib.load(fh))

    async def work(runtime: Runtime) -> None:
        version = await province_admin.store(runtime, config, actor="cli")
        out.print(f"province {config.code} registered (version {version})")

    _run(work)


def _toggle(code: str, enabled: bool) -> None:
    async def work(runtime: Runtime) -> None:
        config = _config(runtime, code).model_copy(update={"enabled": enabled})
        version = await province_admin.store(runtime, config, actor="cli")
        out.print(f"province {code} {'enabled' if enabled else 'disabled'} (version {version})")

    _run(work)


@provinces_app.command("enable")
def provinces_enable(code: str) -> None:
    """Serve requests through this province's adapter."""
    _toggle(code, True)


@provinces_app.command("disable")
def provinces_disable(code: str) -> None:
    """Stop using this province's adapter (its cases wait; nothing is lost)."""
    _toggle(code, False)


@provinces_app.command("set-coverage")
def provinces_set_coverage(
    code: str,
    file: Annotated[Path, typer.Argument(help="JSON or TOML: {item code: local code}")],
) -> None:
    """Replace the items a province serves."""
    text = file.read_text()
    raw: dict[str, Any] = json.loads(text) if file.suffix == ".json" else tomllib.loads(text)
    items = {
        item: ItemBinding(local_code=v if isinstance(v, str) else v["local_code"])
        for item, v in raw.get("items", raw).items()
    }

    async def work(runtime: Runtime) -> None:
        config = _config(runtime, code).model_copy(update={"items": items})
        version = await province_admin.store(runtime, config, actor="cli")
        out.print(f"province {code} serves {len(items)} items (version {version})")

    _run(work)


@adapters_app.command("list")
def adapters_list() -> None:
    """Installed protocol families (entry points ``tongban.adapters``)."""
    from gateway.registry import discover_families

    table = Table("family", "credentials", "description")
    for family in discover_families().values():
        table.add_row(family.name, ", ".join(family.required_credentials), family.description)
    out.print(table)


@adapters_app.command("check")
def adapters_check(
    code: str,
    base_url: Annotated[str | None, typer.Option(help="Check another endpoint")] = None,
) -> None:
    """Run the adapter contract suite against the province's endpoint; exit 1 on failure."""

    async def work(runtime: Runtime) -> bool:
        config = _config(runtime, code)
        if base_url:
            config = config.model_copy(update={"base_url": base_url.rstrip("/")})
        family = runtime.registry.families[config.family]
        results = await run_checks(Subject(config, family, runtime.http))
        table = Table("check", "result", "detail", "ms", title=f"{code} ({config.family})")
        for r in results:
            table.add_row(
                r.name,
                "[green]pass[/green]" if r.passed else "[red]FAIL[/red]",
                r.detail,
                f"{r.seconds * 1000:.0f}",
            )
        out.print(table)
        return all(r.passed for r in results)

    if not _run(work):
        raise typer.Exit(1)


@clients_app.command("create")
def clients_create(
    name: str,
    kind: Annotated[str, typer.Option(help="app | mini-program | counter | admin")] = "app",
    province: Annotated[str | None, typer.Option(help="Counter terminals: province")] = None,
    service_point: Annotated[str | None, typer.Option(help="Counter terminals: 窗口")] = None,
    scope: Annotated[list[str] | None, typer.Option(help="Scopes (default: the kind's)")] = None,
) -> None:
    """Register a client; its API key (and signing secret) are printed once."""

    async def work(runtime: Runtime) -> security.Issued:
        async with runtime.sessions.begin() as session:
            issued = await security.register(
                session,
                secret_key=runtime.secret_key,
                sealer=runtime.sealer,
                name=name,
                kind=kind,
                scopes=scope,
                province=province,
                service_point=service_point,
            )
        runtime.auditor.record(
            Entry(actor="cli", actor_kind="ops", action="client_create", target=issued.client.id)
        )
        await runtime.auditor.flush()
        return issued

    try:
        issued = _run(work)
    except ValueError as exc:
        err.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(1) from None
    _print_credentials(issued)


def _print_credentials(issued: security.Issued) -> None:
    out.print(f"client {issued.client.id} ({issued.client.kind}) — shown once:")
    out.print(f"  API key:        [bold]{issued.api_key}[/bold]")
    if issued.signing_secret:
        out.print(f"  signing secret: [bold]{issued.signing_secret}[/bold]")


@clients_app.command("list")
def clients_list() -> None:
    """Every client (no secrets)."""

    async def work(runtime: Runtime) -> None:
        table = Table("id", "name", "kind", "enabled", "signs", "bound to", "scopes")
        async with runtime.sessions() as session:
            for c in await session.scalars(select(Client).order_by(Client.created_at)):
                table.add_row(
                    c.id,
                    c.name,
                    c.kind,
                    "yes" if c.enabled else "no",
                    "yes" if c.signing_required else "no",
                    f"{c.province}/{c.service_point}" if c.province else "",
                    " ".join(c.scopes),
                )
        out.print(table)

    _run(work)


@clients_app.command("rotate")
def clients_rotate(client_id: str) -> None:
    """Issue a new API key (and signing secret); the old ones stop working."""

    async def work(runtime: Runtime) -> security.Issued:
        async with runtime.sessions.begin() as session:
            issued = await security.rotate(
                session, secret_key=runtime.secret_key, client_id=client_id, sealer=runtime.sealer
            )
        runtime.auditor.record(
            Entry(actor="cli", actor_kind="ops", action="client_rotate", target=client_id)
        )
        await runtime.auditor.flush()
        return issued

    try:
        _print_credentials(_run(work))
    except LookupError:
        err.print(f"[red]no client {client_id}[/red]")
        raise typer.Exit(1) from None


def _set_enabled(client_id: str, enabled: bool) -> None:
    async def work(runtime: Runtime) -> None:
        async with runtime.sessions.begin() as session:
            await security.set_enabled(session, client_id, enabled)
        runtime.auditor.record(
            Entry(
                actor="cli",
                actor_kind="ops",
                action="client_enable" if enabled else "client_disable",
                target=client_id,
            )
        )
        await runtime.auditor.flush()
        out.print(f"client {client_id} {'enabled' if enabled else 'disabled'}")

    try:
        _run(work)
    except LookupError:
        err.print(f"[red]no client {client_id}[/red]")
        raise typer.Exit(1) from None


@clients_app.command("disable")
def clients_disable(client_id: str) -> None:
    """Refuse the client's credentials from now on (within seconds on every process)."""
    _set_enabled(client_id, False)


@clients_app.command("enable")
def clients_enable(client_id: str) -> None:
    _set_enabled(client_id, True)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; exit 1 if a record was modified, removed or moved."""

    async def work(runtime: Runtime) -> audit.Verification:
        async with runtime.sessions() as session:
            return await audit.verify(session)

    result = _run(work)
    if result.ok:
        out.print(f"[green]audit chain intact[/green]: {result.records} records verified")
        return
    err.print(
        f"[red]audit chain broken[/red] at record {result.first_bad_seq}: {result.reason} "
        f"({result.records} records verified before it)"
    )
    raise typer.Exit(1)


@data_app.command("reseal")
def data_reseal() -> None:
    """Seal every sealed value again with the current data key (after moving the old key to
    TONGBAN_DATA_KEYS_RETIRED); values already sealed with it are left alone."""

    async def work(runtime: Runtime) -> dict[str, int]:
        return await reseal(runtime.engine)

    done = _run(work)
    table = Table("column", "sealed again", title="Sealed with data key " + _settings().data_key_id)
    for column, count in done.items():
        table.add_row(column, str(count))
    out.print(table)
