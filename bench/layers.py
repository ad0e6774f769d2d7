"""Where a query's CPU goes, layer by layer, in one process (``make bench``'s ``layers``).

    python -m bench.layers      (environment: the gateway's TONGBAN_* settings, BENCH_API_KEY,
                                 BENCH_QUERY: the request body; prints one JSON object)

Each figure is CPU time per call (``time.process_time``), 50 calls in flight, the minimum of
3 rounds of ``BENCH_LAYER_CALLS`` (3,000), after 300 warm-up calls, against the same canned
upstream as the throughput section. Each layer includes the ones before it:

1. the province's adapter alone (httpx over aiohttp, the answer's JSON decoded, not yet
   translated: ``query_wire``);
2. + its resilience guard (breaker, bulkhead, retry budget, metrics);
3. + translating the answer and validating it against the item's result model, in one pass
   (``dispatch._ask``, ``gateway.wire_json``);
4. + routing and the task per province (``dispatch.run_query``);
5. the whole query through the ASGI app, no HTTP server (auth, quota, body validation,
   middleware, access log, metrics, audit, serialisation);
6. ``GET /healthz`` through the same app: what any request pays for the stack itself.

And ``routing_us``: finding a request's route (the app router's walk over its routes, as
``APIRouter.app`` does it) for the first and last query items, the last submission item
and a case poll (``GET /v1/applications/{id}``).

In-process figures run faster than the serving process's (no HTTP server, warmer caches).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import timeit
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.routing import Match

from gateway import dispatch
from gateway.app import build_runtime, create_app
from gateway.catalogue import Catalogue
from gateway.settings import Settings

ITEM = "social-insurance-contributions"
PROVINCE = "440000"


async def per_call_us(call: Callable[[], Awaitable[object]], calls: int) -> float:
    for _ in range(300):
        await call()
    slots = asyncio.Semaphore(50)

    async def one() -> None:
        async with slots:
            await call()

    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        await asyncio.gather(*(one() for _ in range(calls)))
        best = min(best, (time.process_time() - started) / calls * 1e6)
    return round(best, 1)


def routing_us(app: Any) -> dict[str, float]:
    """Microseconds to find the route of a few requests, walking the routes in order."""
    items = [r for r in app.router.routes if str(getattr(r, "path", "")).startswith("/v1/items/")]
    queries = [r.path for r in items if r.path.endswith("/queries")]
    submissions = [r.path for r in items if r.path.endswith("/applications")]
    requests = {
        "first_query": (queries[0], "POST"),
        "last_query": (queries[-1], "POST"),
        "last_submission": (submissions[-1], "POST"),
        "case_poll": ("/v1/applications/01HZZZZZZZZZZZZZZZZZZZZZZZ", "GET"),
    }
    found: dict[str, float] = {}
    for name, (path, method) in requests.items():
        scope = _scope(path, method, [])

        def walk(scope: dict[str, Any] = scope) -> None:
            for route in app.router.routes:
                if route.matches(scope)[0] is Match.FULL:
                    return
            raise RuntimeError(f"no route for {scope['path']}")

        found[name] = round(min(timeit.repeat(walk, number=2000, repeat=3)) / 2000 * 1e6, 1)
    return found


def _scope(path: str, method: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def asgi_call(app: Any, path: str, method: str, body: bytes, key: str) -> int:
    headers = [
        (b"host", b"bench"),
        (b"authorization", f"Bearer {key}".encode()),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return pending.pop() if pending else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(_scope(path, method, headers), receive, send)
    return status[0]


async def measure(key: str, query: dict[str, Any], calls: int) -> dict[str, float]:
    settings = Settings()
    catalogue = Catalogue.load()
    item = catalogue.get(ITEM)
    assert item is not None
    results: dict[str, float] = {}
    runtime = build_runtime(settings, catalogue)
    try:
        guarded: Any = runtime.registry.adapter(PROVINCE)
        assert guarded is not None
        request = item.request_model.model_validate(query)
        conditions = request.model_dump(mode="json", exclude_none=True)
        results["adapter_us"] = await per_call_us(
            lambda: guarded.inner.query_wire(ITEM, conditions), calls
        )
        results["guarded_us"] = await per_call_us(
            lambda: guarded.query_wire(ITEM, conditions), calls
        )
        results["validated_us"] = await per_call_us(
            lambda: dispatch._ask(guarded, item, conditions), calls
        )
        results["run_query_us"] = await per_call_us(
            lambda: dispatch.run_query(item, request, runtime.registry), calls
        )
    finally:
        await runtime.http.aclose()
        await runtime.engine.dispose()

    app = create_app(settings)
    body = json.dumps(query, ensure_ascii=False).encode()
    path = f"/v1/items/{ITEM}/queries"
    async with app.router.lifespan_context(app):
        status = await asgi_call(app, path, "POST", body, key)
        if status != 200:
            raise RuntimeError(f"the query answered {status}")
        results["app_query_us"] = await per_call_us(
            lambda: asgi_call(app, path, "POST", body, key), calls
        )
        results["app_healthz_us"] = await per_call_us(
            lambda: asgi_call(app, "/healthz", "GET", b"", key), calls
        )
    results.update({f"routing_{k}_us": v for k, v in routing_us(app).items()})
    return results


def main() -> None:
    import uvloop

    key = os.environ["BENCH_API_KEY"]
    query = json.loads(os.environ["BENCH_QUERY"])
    calls = int(os.environ.get("BENCH_LAYER_CALLS", "3000"))
    results = uvloop.run(measure(key, query, calls))
    sys.stdout.write(json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
