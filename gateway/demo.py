"""The demo's client and the walkthrough it prints."""

from __future__ import annotations

from gateway import security
from gateway.secrets import demo_keys, resolve_secrets
from gateway.settings import Settings
from gateway.store.db import make_engine, make_sessions


async def ensure_demo_clients(settings: Settings, api_key: str | None) -> tuple[str, str]:
    """Register (or find) the demo's app and admin clients; returns their keys."""
    secret_key, _ = resolve_secrets(settings)
    stored_app, stored_admin = demo_keys()
    engine = make_engine(settings.database_url)
    try:
        async with make_sessions(engine).begin() as session:
            _, key = await security.create_client(
                session,
                secret_key=secret_key,
                name="demo",
                kind="app",
                api_key=api_key or stored_app,
            )
            _, admin = await security.create_client(
                session,
                secret_key=secret_key,
                name="demo-ops",
                kind="admin",
                api_key=stored_admin,
            )
    finally:
        await engine.dispose()
    return key, admin


def try_this(port: int, api_key: str, admin_key: str) -> str:
    base = f"http://127.0.0.1:{port}"
    auth = f'-H "Authorization: Bearer {api_key}"'
    admin = f'-H "Authorization: Bearer {admin_key}"'
    return f"""
[bold green]Tongban demo[/bold green] — gateway on {base}; 31 sandbox provinces on four
protocol families (JSON REST + OAuth2 :9101, SOAP/GBK :9102, signed forms :9103,
batch + callbacks :9104).
  API key (demo app):  [bold]{api_key}[/bold]
  API key (ops/admin): [bold]{admin_key}[/bold]

  curl -s {auth} '{base}/v1/items?batch=2020&limit=5' | python3 -m json.tool
  curl -s {auth} {base}/v1/provinces | python3 -m json.tool
  curl -s {auth} -H 'Content-Type: application/json' \\
    {base}/v1/items/social-insurance-contributions/queries \\
    -d '{{"person": {{"name": "张三", "id_number": "11010519491231002X"}},
         "provinces": ["440000", "510000", "330000", "650000"]}}'
  curl -si {auth} -H 'Content-Type: application/json' -H 'Idempotency-Key: demo-1' \\
    {base}/v1/items/pension-transfer-employee/applications \\
    -d '{{"mode": "joint", "data": {{"applicant": {{"name": "张三",
         "id_number": "11010519491231002X", "phone": "13800138000"}},
         "origin_province": "510000", "destination_province": "440000"}}}}'
  curl -s {auth} {base}/v1/applications/<id from the Location header> | python3 -m json.tool
  curl -s {admin} -X POST {base}/admin/v1/provinces/330000/check | python3 -m json.tool

  In another shell: TONGBAN_ENVIRONMENT=demo .venv/bin/tongban provinces list
                    TONGBAN_ENVIRONMENT=demo .venv/bin/tongban adapters check 650000

API docs: {base}/docs   OpenAPI: {base}/openapi.json   Metrics: {base}/metrics   Stop: Ctrl+C
"""
