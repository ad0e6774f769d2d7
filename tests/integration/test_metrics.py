"""/metrics, request ids, the access log and tracing, against a running gateway."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from sqlalchemy import update

from gateway.app import create_app
from gateway.metrics import CaseGauges
from gateway.observability import Tracing
from gateway.store.db import make_engine, make_sessions
from gateway.store.tables import Case
from sandbox.testing import running_server
from tests import conftest
from tests.conftest import Sandboxes
from tests.integration.conftest import Gateway

ID_NUMBER = "11010519491231002X"
QUERY = "/v1/items/social-insurance-contributions/queries"


def unemployment(province: str = "440000") -> dict[str, Any]:
    return {
        "mode": "online",
        "data": {
            "applicant": {"name": "张三", "id_number": ID_NUMBER, "phone": "13800138000"},
            "competent_province": province,
            "residence_address": "广东省广州市天河区体育西路1号",
            "unemployment_date": "2024-03-01",
            "reason": "contract-ended",
        },
    }


def samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    found = []
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            labels: dict[str, str] = {}
            if "{" in line:
                inner = line[line.index("{") + 1 : line.rindex("}")]
                for part in inner.split('",'):
                    key, _, value = part.partition("=")
                    labels[key.strip(",")] = value.strip('"')
            found.append((labels, float(line.rsplit(" ", 1)[1])))
    return found


async def test_metrics_endpoint(gateway: Gateway) -> None:
    body = {"person": {"name": "张三", "id_number": ID_NUMBER}, "provinces": ["440000"]}
    with structlog.testing.capture_logs([structlog.contextvars.merge_contextvars]) as logged:
        answered = await gateway.http.post(QUERY, headers=gateway.auth(), json=body)
        assert answered.status_code == 200
        submitted = await gateway.submit("unemployment-registration", unemployment())
        assert submitted.status_code == 202
        case_id = submitted.json()["id"]
        await gateway.case(case_id)
        for _ in range(100):  # the access line is written just after the answer is sent
            if any(e.get("route") == "/v1/applications/{case_id}" for e in logged):
                break
            await asyncio.sleep(0.02)

    response = await gateway.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text

    http = samples(text, "tongban_http_requests_total")
    routes = {labels["route"] for labels, _ in http}
    assert "/v1/items/social-insurance-contributions/queries" in routes
    assert "/v1/applications/{case_id}" in routes  # templates, never raw paths
    assert not any(case_id in route for route in routes)
    assert samples(text, "tongban_http_request_duration_seconds_bucket")

    upstream = samples(text, "tongban_upstream_requests_total")
    assert any(
        labels["province"] == "440000"
        and labels["item"] == "social-insurance-contributions"
        and labels["operation"] == "query"
        and labels["outcome"] == "ok"
        for labels, _ in upstream
    )
    assert any(
        labels["province"] == "440000" and labels["operation"] == "query"
        for labels, _ in samples(text, "tongban_upstream_duration_seconds_count")
    )
    states = samples(text, "tongban_circuit_breaker_state")
    assert ({"province": "440000", "state": "closed"}, 1.0) in states
    cases = dict((labels["status"], value) for labels, value in samples(text, "tongban_cases"))
    assert sum(cases.values()) >= 1
    assert samples(text, "tongban_cases_overdue")
    assert ID_NUMBER not in text  # labels never carry personal data

    # Not in the OpenAPI document; not behind credentials.
    spec = (await gateway.http.get("/openapi.json")).json()
    assert "/metrics" not in spec["paths"]

    assert ID_NUMBER not in json.dumps(logged, ensure_ascii=False, default=str)
    by_route = {e["route"]: e for e in logged if e["event"] == "http_request"}
    assert by_route[QUERY]["status"] == 200
    assert by_route[QUERY]["request_id"]
    applications = "/v1/items/unemployment-registration/applications"
    assert by_route[applications]["case_id"] == case_id
    assert by_route["/v1/applications/{case_id}"]["case_id"] == case_id


async def test_plain_starlette_routes_are_named_by_their_template(gateway: Gateway) -> None:
    # The OpenAPI document (FastAPI's own Starlette route) and /static (a mount) put no route
    # in the scope: they were counted and logged as "unmatched", with the 404s.
    with structlog.testing.capture_logs() as logged:
        assert (await gateway.http.get("/openapi.json")).status_code == 200
        assert (await gateway.http.get("/static/swagger-ui.css")).status_code == 200
        assert (await gateway.http.get("/no/such/path")).status_code == 404
        for _ in range(100):  # the access line is written just after the answer is sent
            if len([e for e in logged if e.get("event") == "http_request"]) == 3:
                break
            await asyncio.sleep(0.02)
    routes = [e["route"] for e in logged if e.get("event") == "http_request"]
    assert sorted(routes) == ["/openapi.json", "/static", "unmatched"]
    counted = {
        (labels["route"], labels["status"])
        for labels, _ in samples(
            (await gateway.http.get("/metrics")).text, "tongban_http_requests_total"
        )
    }
    assert {("/openapi.json", "200"), ("/static", "200"), ("unmatched", "404")} <= counted


async def test_request_ids(gateway: Gateway) -> None:
    given = await gateway.http.get("/healthz", headers={"X-Request-ID": "abc-123.DEF_4"})
    assert given.headers["X-Request-ID"] == "abc-123.DEF_4"
    made = await gateway.http.get("/healthz")
    assert len(made.headers["X-Request-ID"]) == 32
    unsafe = await gateway.http.get("/healthz", headers={"X-Request-ID": "a b\tc" + "x" * 80})
    assert unsafe.headers["X-Request-ID"] != "a b\tc" + "x" * 80


async def test_case_gauges_count_by_status_and_overdue(gateway: Gateway) -> None:
    submitted = await gateway.submit("unemployment-registration", unemployment())
    case_id = submitted.json()["id"]
    engine = make_engine(gateway.database_url)
    try:
        sessions = make_sessions(engine)
        async with sessions.begin() as session:
            await session.execute(
                update(Case)
                .where(Case.id == case_id)
                .values(promised_due=dt.date(2020, 1, 2), status="in_review")
            )
        gauges = CaseGauges(sessions, ttl_seconds=0)
        await gauges.refresh()
        families = {f.name: f for f in gauges.families()}
        overdue = families["tongban_cases_overdue"].samples[0].value
        assert overdue == 1
        by_status = {s.labels["status"]: s.value for s in families["tongban_cases"].samples}
        assert by_status["in_review"] == 1
        assert families["tongban_case_gauges_up"].samples[0].value == 1
    finally:
        await engine.dispose()


@pytest.fixture
def spans() -> Iterator[Any]:
    sdk = pytest.importorskip("opentelemetry.sdk.trace")
    from opentelemetry import trace
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, sdk.TracerProvider):
        provider = sdk.TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    try:
        yield exporter
    finally:
        exporter.shutdown()
        Tracing.tracer = None


async def test_tracing_when_enabled(
    sqlite_url: str, fresh_sandboxes: Sandboxes, spans: Any
) -> None:
    import httpx

    from gateway.store.migrate import upgrade_async
    from tests.integration.conftest import make_clients

    await upgrade_async(sqlite_url)
    keys = await make_clients(sqlite_url)
    settings = conftest.make_settings(
        sqlite_url, province_base_urls=fresh_sandboxes.overrides(), otel_enabled=True
    )
    with running_server(create_app(settings), lifespan="on", startup_timeout=20) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
            body = {"person": {"name": "张三", "id_number": ID_NUMBER}, "provinces": ["440000"]}
            response = await http.post(
                QUERY,
                json=body,
                headers={"Authorization": f"Bearer {keys['app'].key}", "traceparent": parent},
            )
            assert response.status_code == 200
    finished = spans.get_finished_spans()
    server = [s for s in finished if s.attributes.get("http.route") == QUERY]
    assert len(server) == 1, [s.name for s in finished]  # ours; FastAPI's own is off
    assert server[0].context.trace_id == int("0af7651916cd43dd8448eb211c80319c", 16)
    upstream = [s for s in finished if s.name == "province.query"]
    assert upstream
    assert upstream[0].attributes["tongban.province"] == "440000"
    assert upstream[0].attributes["tongban.outcome"] == "ok"
    assert upstream[0].context.trace_id == server[0].context.trace_id
    for span in finished:
        assert ID_NUMBER not in json.dumps(dict(span.attributes or {}), ensure_ascii=False)


def test_multiprocess_metrics_aggregate(tmp_path: Any) -> None:
    """With PROMETHEUS_MULTIPROC_DIR, every process' samples show in one exposition."""
    script = textwrap.dedent(
        """
        import sys
        from gateway import metrics
        metrics.UPSTREAM_RETRIES.labels("440000", "query").inc(int(sys.argv[1]))
        if sys.argv[1] == "2":
            print(metrics.render().decode())
        """
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", script, "3"], env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-c", script, "2"], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert ({"province": "440000", "operation": "query"}, 5.0) in samples(
        out, "tongban_upstream_retries_total"
    )
