"""Turn bench results into Markdown, and py-spy samples into a profile summary."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

# Issue 7's targets, checked against each run.
TARGETS = {
    "vs_naive": 3.0,  # query path ≥ 3× the naive FastAPI+httpx pass-through
    "vs_starlette_aiohttp": 0.4,  # ≥ 0.4× bare Starlette+aiohttp
    "added_p99_ms": 5.0,  # p99 added latency at half of peak load
    "fanout_over_slowest_ms": 10.0,  # 31-province fan-out within 10 ms of the slowest
    "rss_mb": 150.0,  # per process
    "startup_s": 2.0,
}

LABELS = {
    "upstream_direct": "upstream alone (canned sandbox answers, nginx)",
    "nginx": "(a) nginx proxy_pass",
    "fastapi_httpx": "(b) bare FastAPI + httpx (naive)",
    "fastapi_httpx_aiohttp": "bare FastAPI + httpx on httpx-aiohttp",
    "fastapi_aiohttp": "bare FastAPI + aiohttp",
    "starlette_aiohttp": "(c) bare Starlette + aiohttp",
    "gateway": "**Tongban query path, 1 process**",
    "gateway_2_processes": "**Tongban query path, 2 processes**",
}

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")
_AREAS = (
    ("gateway/", "gateway"),
    ("adapters/", "adapters"),
    ("schemas/", "schemas"),
    ("fastapi/", "fastapi"),
    ("starlette/", "starlette"),
    ("pydantic", "pydantic"),
    ("httpx_aiohttp/", "httpx-aiohttp"),
    ("httpx/", "httpx"),
    ("httpcore/", "httpcore"),
    ("aiohttp/", "aiohttp"),
    ("uvicorn/", "uvicorn"),
    ("structlog/", "structlog"),
    ("prometheus_client/", "prometheus_client"),
    ("sqlalchemy/", "sqlalchemy"),
    ("orjson", "orjson"),
    ("json/", "json (stdlib)"),
    ("asyncio/", "asyncio"),
    ("uvloop/", "uvloop"),
)


def _split(frame: str) -> tuple[str, str]:
    found = _FRAME.match(frame.strip())
    if not found:
        return frame.strip(), ""
    return found.group("func"), found.group("file")


def _area(path: str) -> str:
    for needle, name in _AREAS:
        if needle in path:
            return name
    return "other"


def _short(path: str) -> str:
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def profile_summary(raw: str, top: int = 25) -> dict[str, Any]:
    """py-spy ``--format raw`` (collapsed stacks) → self and inclusive time by function."""
    self_time: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_split(f) for f in stack.split(";") if f.strip()]
        # py-spy puts the thread name first; idle loop time shows as the selector's poll.
        frames = [f for f in frames if f[1]]
        if not frames:
            continue
        total += count
        func, path = frames[-1]
        self_time[f"{func} ({_short(path)})"] += count
        areas[_area(path)] += count
        seen = set()
        for func, path in frames:
            key = f"{func} ({_short(path)})"
            if key not in seen:
                seen.add(key)
                inclusive[key] += count

    def pct(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    ours = [
        (k, v)
        for k, v in inclusive.most_common()
        if k.split("(", 1)[-1].startswith(("gateway/", "adapters/", "schemas/"))
    ]
    return {
        "samples": total,
        "by_area_pct": {k: pct(v) for k, v in areas.most_common()},
        "top_self_pct": [[k, pct(v)] for k, v in self_time.most_common(top)],
        "top_project_inclusive_pct": [[k, pct(v)] for k, v in ours[:top]],
    }


def profile_text(summary: dict[str, Any]) -> str:
    lines = [
        f"py-spy samples (the thread holding the GIL): {summary['samples']}",
        "",
        "time by area (self, %):",
    ]
    lines += [f"  {v:5.1f}  {k}" for k, v in summary["by_area_pct"].items()]
    lines += ["", "top functions by self time (%):"]
    lines += [f"  {v:5.1f}  {k}" for k, v in summary["top_self_pct"]]
    lines += ["", "project functions by inclusive time (%):"]
    lines += [f"  {v:5.1f}  {k}" for k, v in summary["top_project_inclusive_pct"]]
    return "\n".join(lines) + "\n"


def _ok(met: bool | None) -> str:
    if met is None:
        return "—"
    return "met" if met else "**missed**"


def _r(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def targets(results: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    rows: list[tuple[str, str, str, bool | None]] = []
    tp = results.get("throughput", {})
    gw = tp.get("gateway", {}).get("rps")
    naive = tp.get("fastapi_httpx", {}).get("rps")
    star = tp.get("starlette_aiohttp", {}).get("rps")
    ratio = _r(gw, naive)
    rows.append(("query path ÷ naive FastAPI+httpx", f"{ratio}×", "≥ 3×",
                 None if ratio is None else ratio >= TARGETS["vs_naive"]))  # fmt: skip
    ratio = _r(gw, star)
    rows.append(("query path ÷ bare Starlette+aiohttp", f"{ratio}×", "≥ 0.4×",
                 None if ratio is None else ratio >= TARGETS["vs_starlette_aiohttp"]))  # fmt: skip
    lat = results.get("latency", {})
    if "added_p99_ms" in lat:
        rows.append(("p99 added latency at half of peak", f"{lat['added_p99_ms']} ms", "≤ 5 ms",
                     lat["added_p99_ms"] <= TARGETS["added_p99_ms"]))  # fmt: skip
    fan = results.get("fanout", {})
    for phase, label in (("idle", "idle"), ("under_load", "under load")):
        if phase in fan:
            over = fan[phase]["over_slowest_p50_ms"]
            rows.append((f"31-province fan-out over the slowest, p50, {label}", f"{over} ms",
                         "≤ 10 ms", over <= TARGETS["fanout_over_slowest_ms"]))  # fmt: skip
    mem = results.get("memory", {})
    if "peak_rss_mb" in mem:
        rows.append(("RSS per process, peak under 1,000 connections", f"{mem['peak_rss_mb']} MB",
                     "≤ 150 MB", mem["peak_rss_mb"] <= TARGETS["rss_mb"]))  # fmt: skip
    start = results.get("startup", {})
    if "median_s" in start:
        rows.append(("start-up (spawn → /healthz 200)", f"{start['median_s']} s", "≤ 2 s",
                     start["median_s"] <= TARGETS["startup_s"]))  # fmt: skip
    two = tp.get("gateway_2_processes", {}).get("rps")
    if gw and two:
        rows.append(("throughput grows with processes (2 ÷ 1)", f"{_r(two, gw)}×", "> 1×",
                     two > gw))  # fmt: skip
    return rows


def markdown(results: dict[str, Any]) -> str:
    meta = results.get("meta", {})
    out = [
        "# Tongban benchmark results",
        "",
        f"{meta.get('when', '')} — {meta.get('machine', '')}; {meta.get('nginx', '')}; "
        f"{meta.get('seconds_per_run', '?')} s per wrk run"
        + (" (quick)" if meta.get("quick") else "")
        + f"; whole run {meta.get('total_seconds', '?')} s; load average before/after "
        f"{meta.get('load_average_before', '?')} / {meta.get('load_average_after', '?')} "
        "(2 cores: above ~1 the machine was busy with other work). Produced by `make bench`.",
        "",
        "## Targets",
        "",
        "| figure | measured | target | |",
        "|---|---|---|---|",
    ]
    for name, value, target, met in targets(results):
        out.append(f"| {name} | {value} | {target} | {_ok(met)} |")

    tp = results.get("throughput", {})
    if tp:
        nginx = tp.get("nginx", {}).get("rps")
        gw = tp.get("gateway", {}).get("rps")
        out += [
            "",
            "## Query path vs pass-throughs (wrk, 50 connections, one process each)",
            "",
            "The same upstream answer for all: the sandbox's recorded lookup (one year of one "
            "person's contributions, 6 KB), replayed by nginx. The query path is the whole "
            "gateway: API-key authentication, quotas, validation against the item's model, "
            "routing, translation to the province's wire format and back, resilience (breaker, "
            "bulkhead, retry budget), metrics, access log (JSON, to a file), audit.",
            "",
            "All contestants run at once and are measured in turns; each row is the median of "
            "its rounds (by req/s; every round's req/s in the last column).",
            "",
            "| contestant | req/s | p50 ms | p99 ms | ÷ nginx | query path ÷ it | rounds |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for key, label in LABELS.items():
            row = tp.get(key)
            if not row:
                continue
            rounds = ", ".join(f"{r:,.0f}" for r in row.get("rounds_rps", [row["rps"]]))
            out.append(
                f"| {label} | {row['rps']:,.0f} | {row['p50_ms']} | {row['p99_ms']} | "
                f"{_r(row['rps'], nginx) or '—'} | {_r(gw, row['rps']) or '—'} | {rounds} |"
            )
    lat = results.get("latency", {})
    if lat:
        g, u = lat["gateway"], lat["upstream_direct"]
        out += [
            "",
            f"## Latency at half of peak ({lat['target_rps']:,.0f} req/s; "
            f"peak {lat['peak_rps']:,.0f})",
            "",
            "50 connections, each pausing at random between requests (exponential pauses, "
            "calibrated to the rate): arrivals at random moments, like independent users'.",
            "",
            "| | achieved req/s | p50 ms | p90 ms | p99 ms |",
            "|---|---:|---:|---:|---:|",
            f"| query path | {g['rps']:,.0f} | {g['p50_ms']} | {g['p90_ms']} | {g['p99_ms']} |",
            f"| upstream alone | {u['rps']:,.0f} | {u['p50_ms']} | {u['p90_ms']} | {u['p99_ms']} |",
            f"| **added by the gateway** | | {lat['added_p50_ms']} | | {lat['added_p99_ms']} |",
        ]
        for key, label in (
            ("gateway_fixed_pauses", "query path, fixed pauses (connections in step: bursts)"),
            ("gateway_5_connections", "query path, same rate from 5 connections"),
        ):
            row = lat.get(key)
            if row:
                out.append(
                    f"| {label} | {row['rps']:,.0f} | {row['p50_ms']} | {row['p90_ms']} | "
                    f"{row['p99_ms']} |"
                )
        lag = lat.get("loop_lag")
        if lag:
            out += [
                "",
                f"The gateway's event loop during the first row (`tongban_event_loop_lag_seconds`, "
                f"a 100 ms timer): {lag['wakeups']:,} wake-ups, {lag['later_than_5ms']} later "
                f"than 5 ms, {lag['later_than_25ms']} later than 25 ms, "
                f"{lag['later_than_50ms']} later than 50 ms. Every request in flight waits out "
                "such a stall; where there are none, the tail is requests that arrive close "
                "together sharing the CPU (compare the fixed-pause and 5-connection rows).",
            ]
    fan = results.get("fanout", {})
    if fan:
        s = fan["slowest_direct"]
        out += [
            "",
            "## Fan-out: 31 provinces, each answering after 50 ms (fault proxy latency toxic)",
            "",
            '"Slowest": the slowest of the same 31 calls made concurrently and directly '
            "(aiohttp), per round. Under load: 50 more connections of single-province queries "
            "at the same time, paced (random pauses) to half of the gateway's peak "
            f"({fan.get('background', {}).get('rps', '?')} req/s).",
            "",
            "| | p50 ms | p99 ms | over the slowest, p50 | over the slowest, p99 |",
            "|---|---:|---:|---:|---:|",
            f"| slowest of 31 direct calls | {s['p50_ms']} | {s['p99_ms']} | | |",
        ]
        for phase, label in (
            ("idle", "gateway fan-out, idle"),
            ("under_load", "gateway fan-out, under load"),
        ):
            if phase in fan:
                p = fan[phase]
                out.append(
                    f"| {label} | {p['p50_ms']} | {p['p99_ms']} | {p['over_slowest_p50_ms']} | "
                    f"{p['over_slowest_p99_ms']} |"
                )
    sub = results.get("submissions", {})
    if sub:
        out += [
            "",
            "## Durable submissions (case + legs + outbox rows in one transaction; 202)",
            "",
            "50 connections; the outbox worker runs in the same process and delivers every "
            "leg to the (canned) province meanwhile.",
            "",
            "| database | accepted/s | p50 ms | p99 ms | delivered legs/s (incl. drain) |",
            "|---|---:|---:|---:|---:|",
        ]
        for kind, row in sub.items():
            if "skipped" in row:
                out.append(f"| {kind} | skipped: {row['skipped']} | | | |")
            else:
                out.append(
                    f"| {kind} | {row['accepted_per_s']:,.0f} | {row['p50_ms']} | "
                    f"{row['p99_ms']} | "
                    f"{row['delivered_per_s']:,.0f} |"
                )
    mem = results.get("memory", {})
    if mem:
        run = mem["with_1000_connections"]
        out += [
            "",
            "## Memory (one process, 132 items, 31 provinces each binding all of them)",
            "",
            f"- RSS after start-up and one query: {mem['idle_rss_mb']} MB; after 50 connections: "
            f"{mem['after_50_connections_rss_mb']} MB",
            f"- 1,000 concurrent connections (queries spread over the 31 provinces): "
            f"{run['rps']:,.0f} req/s, p99 {run['p99_ms']} ms, {run['errors']} socket errors, "
            f"{run['non2xx']} non-2xx; peak RSS {mem['peak_rss_mb']} MB",
        ]
    start = results.get("startup", {})
    if start:
        out += ["", f"## Start-up: {start['median_s']} s median (runs: {start['runs_s']})"]
        if "import_floor_s" in start:
            out += [
                "",
                f"Floor on this machine: a fresh interpreter importing only the libraries the "
                f"gateway is built on takes {start['import_floor_s']} s (median of 3).",
            ]
    out += _layers(results.get("layers", {}))
    prof = results.get("profile", {})
    if prof and "samples" in prof:
        out += [
            "",
            f"## Profile of the query path (py-spy, {prof['samples']} samples at "
            f"{prof.get('rps_while_sampled', '?')} req/s)",
            "",
            "Samples of the thread holding the GIL (`py-spy --gil`): where the Python CPU goes. "
            "C code called from Python counts in its caller.",
            "",
            "| area (self time) | % |",
            "|---|---:|",
        ]
        out += [f"| {k} | {v} |" for k, v in list(prof["by_area_pct"].items())[:12]]
        out += ["", "| project function (inclusive) | % |", "|---|---:|"]
        out += [f"| `{k}` | {v} |" for k, v in prof["top_project_inclusive_pct"][:12]]
    return "\n".join(out) + "\n"


_LAYERS = (
    ("adapter_us", "the province's adapter alone: httpx over aiohttp, JSON decoded"),
    ("guarded_us", "+ its resilience guard: breaker, bulkhead, retry budget, metrics"),
    ("validated_us", "+ translating and validating the answer, in one pass"),
    ("run_query_us", "+ routing and a task per province (`dispatch.run_query`)"),
    ("app_query_us", "the whole query through the ASGI app, no HTTP server"),
)


def _layers(layers: dict[str, Any]) -> list[str]:
    if not layers:
        return []
    out = [
        "",
        "## Where a query's CPU goes, in one process (`bench/layers.py`)",
        "",
        "CPU per call, 50 in flight, min of 3 rounds, same canned upstream; each layer "
        "includes the ones above it. In-process figures run faster than the server's.",
        "",
        "| layer | µs per call | added |",
        "|---|---:|---:|",
    ]
    before = 0.0
    for key, text in _LAYERS:
        value = float(layers.get(key, 0.0))
        out.append(f"| {text} | {value:,.0f} | {value - before:+,.0f} |")
        before = value
    health = layers.get("app_healthz_us")
    if health is not None:
        out.append(f"| `GET /healthz` through the same app (the stack itself) | {health:,.0f} | |")
    routing = {k: v for k, v in layers.items() if k.startswith("routing_")}
    if routing:
        out += [
            "",
            "Finding a request's route through the router (routes are tried in order; µs)."
            " Queries skip this walk since `gateway/api/query_lane.py` (one dictionary"
            " lookup); the query rows show what the walk would cost them:",
            "",
            "| request | µs |",
            "|---|---:|",
        ]
        for key, text in _ROUTING:
            if key in routing:
                out.append(f"| {text} | {routing[key]:,.1f} |")
    return out


_ROUTING = (
    ("routing_first_query_us", "the first query item"),
    ("routing_last_query_us", "the last query item"),
    ("routing_last_submission_us", "the last submission item"),
    ("routing_case_poll_us", "a case poll, `GET /v1/applications/{id}`"),
)
