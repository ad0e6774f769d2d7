"""Request ids, the access log, HTTP metrics and (optionally) OpenTelemetry tracing.

``ObservabilityMiddleware`` is a pure ASGI middleware (no ``BaseHTTPMiddleware``: it would
copy every body through a task). Per HTTP request it

- takes the caller's ``X-Request-ID`` when it is a plain token (letters, digits, ``._-``,
  at most 64), or makes one, binds it to structlog's context variables (so every log line
  the request causes carries ``request_id``) and returns it as ``X-Request-ID``;
- writes one access line: method, route *template*, status, duration (a query's from its
  arrival, its wait for a turn included: ``gateway.admission``), request id, and the
  case id when the route names one or a submission created one. Never the raw path, the
  query string, headers or bodies: they may carry ID numbers;
- counts it in ``tongban_http_requests_total`` / ``tongban_http_request_duration_seconds``;
- with ``TONGBAN_OTEL_ENABLED=true``, opens a server span continuing the caller's
  ``traceparent``; adapter calls open child spans (``gateway.resilience``) and the shared
  HTTP client passes ``traceparent`` on to provinces.

OpenTelemetry is optional (``pip install 'tongban[otel]'``) and imported only when enabled.
The exporter is OTLP over HTTP, configured by the standard ``OTEL_EXPORTER_OTLP_*``
variables; a tracer provider installed before start-up (tests, ``opentelemetry-instrument``)
is used as it is.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import httpx
import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway import metrics
from gateway.admission import ARRIVED

log = structlog.get_logger("tongban.access")

_random_bits = random.Random().getrandbits
_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._-]{1,64}$")
_CASE_LOCATION = re.compile(rb"^/v1/applications/([A-Za-z0-9-]{1,64})$")


class Tracing:
    """The tracer when tracing is on, else None (checked once per call on the hot path)."""

    tracer: Any = None

    @classmethod
    def span(cls, name: str, **attributes: Any) -> AbstractContextManager[Any]:
        if cls.tracer is None:
            return nullcontext()
        return _span(cls.tracer, name, attributes)


@contextmanager
def _span(tracer: Any, name: str, attributes: dict[str, Any]) -> Iterator[Any]:
    with tracer.start_as_current_span(name, attributes=attributes) as span:
        yield span


def setup_tracing(enabled: bool, service_name: str) -> bool:
    """Install a tracer (lazily importing OpenTelemetry). False when off or unavailable."""
    Tracing.tracer = None
    if not enabled:
        return False
    try:
        from opentelemetry import trace
    except ImportError:
        log.warning("otel_unavailable", hint="pip install 'tongban[otel]'")
        return False
    provider = trace.get_tracer_provider()
    if type(provider).__name__ in ("ProxyTracerProvider", "NoOpTracerProvider"):
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor
        except ImportError:
            log.warning("otel_sdk_unavailable", hint="pip install 'tongban[otel]'")
            return False
        sdk_provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        sdk_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(sdk_provider)
        provider = sdk_provider
    Tracing.tracer = provider.get_tracer("tongban.gateway")
    return True


async def inject_trace_context(request: httpx.Request) -> None:
    """httpx request hook: pass the current trace on to the province (``traceparent``)."""
    if Tracing.tracer is not None:
        from opentelemetry import propagate

        propagate.inject(request.headers)


def request_id_of(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            if _REQUEST_ID.match(value):
                return str(value.decode("ascii"))
            break
    return f"{_random_bits(128):032x}"  # an id, not a secret: no need for os.urandom


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, *, access_log: bool = True, count: bool = True) -> None:
        self.app = app
        self.access_log = access_log
        self.count = count
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        # Bound once (the app's logging is configured by then), not resolved per request
        # through structlog's lazy proxy: a line per request is the gateway's busiest log.
        self._access = log.bind()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # A query's time counts from its arrival, before it waited for its turn (admission).
        started = scope.get(ARRIVED) or time.perf_counter()
        request_id = request_id_of(scope)
        header = (b"x-request-id", request_id.encode("ascii"))
        status = 500
        created: bytes | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status, created
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                if status == 202:
                    for name, value in headers:
                        if name == b"location":
                            found = _CASE_LOCATION.match(value)
                            created = found.group(1) if found else None
                headers.append(header)
                message = {**message, "headers": headers}
            await send(message)

        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        span_cm = _server_span(scope) if Tracing.tracer is not None else nullcontext()
        try:
            with span_cm as span:
                try:
                    await self.app(scope, receive, send_with_id)
                finally:
                    if span is not None:
                        span.set_attribute("http.response.status_code", status)
                        span.set_attribute("tongban.request_id", request_id)
                        route = route_template(scope)
                        span.set_attribute("http.route", route)
                        span.update_name(f"{scope['method']} {route}")
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            method: str = scope["method"]
            if self.count:
                key = (method, route, status)
                children = self._children.get(key)
                if children is None:
                    children = self._children[key] = (
                        metrics.HTTP_REQUESTS.labels(method, route, str(status)),
                        metrics.HTTP_DURATION.labels(method, route),
                    )
                children[0].inc()
                children[1].observe(elapsed)
            if self.access_log:
                case_id = scope.get("path_params", {}).get("case_id")
                if case_id is None and created is not None:
                    case_id = created.decode("ascii")
                self._access.info(
                    "http_request",
                    method=method,
                    route=route,
                    status=status,
                    duration_ms=round(elapsed * 1000, 2),
                    **({"case_id": case_id} if case_id else {}),
                )
            structlog.contextvars.reset_contextvars(**tokens)


def route_template(scope: Scope) -> str:
    """The template of the route that took the request (``/v1/applications/{case_id}``),
    never the path itself, which may carry what someone typed where an id belongs; or
    ``unmatched``. FastAPI's routes put themselves in the scope; a plain Starlette route or
    mount (the OpenAPI document, ``/static``) leaves only its endpoint, found among the app's
    routes (they are few and come first only for such requests)."""
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return path
    endpoint = scope.get("endpoint")
    app = scope.get("app")
    if endpoint is not None and app is not None:
        for route in getattr(getattr(app, "router", None), "routes", ()):
            if (
                getattr(route, "endpoint", None) is endpoint
                or getattr(route, "app", None) is endpoint
            ):
                found = getattr(route, "path", None)
                if isinstance(found, str):
                    return found
    return "unmatched"


@contextmanager
def _server_span(scope: Scope) -> Iterator[Any]:
    from opentelemetry import propagate
    from opentelemetry.trace import SpanKind

    carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", ())}
    context = propagate.extract(carrier)
    with Tracing.tracer.start_as_current_span(
        scope["method"],
        context=context,
        kind=SpanKind.SERVER,
        attributes={"http.request.method": scope["method"]},
    ) as span:
        yield span
