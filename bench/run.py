"""``make bench``: every figure of issue 7, side by side, in one run on this machine.

    python -m bench.run [--quick] [--only SECTION ...] [--out bench/results]

Sections (in order): ``throughput`` (the query path against nginx and the bare
pass-throughs, 50 connections, one process each; the gateway also with 2 processes),
``latency`` (p50/p99 at half of the gateway's peak, and the added latency over calling the
upstream directly at the same rate), ``fanout`` (31 provinces, 50 ms each: end-to-end vs the
slowest, idle and under load), ``submissions`` (durable 202s per second with the outbox
delivering, SQLite and PostgreSQL), ``memory`` (RSS with 132 items and 31 provinces, and
under 1,000 connections), ``startup``, ``layers`` (a query's CPU layer by layer, in one
process: ``bench/layers.py``) and ``profile`` (py-spy on the query path).

Results: ``bench/results/results.json`` and ``bench/results/results.md`` (and
``profile.txt``). Everything binds 127.0.0.1, ports 18101-18130 (``bench/common.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench import report
from bench.common import (
    HOST,
    PORTS,
    PYTHON,
    REPO,
    RESULTS,
    Load,
    Proc,
    canned_upstream,
    need,
    nginx_binary,
    nginx_conf,
    proxy_server,
    start,
    status_kb,
    wait_http,
    wrk,
)
from bench.record import APPLICATION, Recording, record
from schemas._provinces import PROVINCES

SECRET_KEY = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105 - a bench-only key
DATA_KEY = "00112233445566778899aabbccddeeff"
QUERY_PATH = "/v1/items/social-insurance-contributions/queries"
APPLY_PATH = "/v1/items/unemployment-registration/applications"
POSTGRES_ADMIN = os.environ.get(
    "TONGBAN_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


def url(port: int) -> str:
    return f"http://{HOST}:{port}"


# What ``tongban serve`` cannot start without (the start-up figure's floor).
_FLOOR_IMPORTS = (
    "fastapi", "uvicorn", "uvloop", "httptools", "pydantic", "pydantic_settings",
    "sqlalchemy.ext.asyncio", "aiosqlite", "httpx", "aiohttp", "orjson",
    "structlog", "prometheus_client", "limits.aio.strategies", "stdnum.cn.ric",
    "chinese_calendar", "cryptography.hazmat.primitives.ciphers.aead", "jwt", "stamina",
    "typer",
)  # fmt: skip


class Bench:
    def __init__(self, quick: bool, out: Path) -> None:
        self.quick = quick
        self.out = out
        self.seconds = 4.0 if quick else 8.0
        self.warm = 1.0 if quick else 2.0
        self.rounds = 1 if quick else 3
        self.work = Path(tempfile.mkdtemp(prefix="tongban-bench-"))
        self.work.chmod(0o755)  # nginx workers run as nobody when started as root
        self.logs = self.work / "logs"
        self.procs: list[Proc] = []
        self.results: dict[str, Any] = {}
        self.rec: Recording | None = None
        self.api_key = ""

    # -- plumbing ------------------------------------------------------------------------

    def spawn(
        self, name: str, cmd: list[str], env: dict[str, str] | None = None, cwd: Path = REPO
    ) -> Proc:
        proc = start(name, cmd, env=env, logs=self.logs, cwd=cwd)
        self.procs.append(proc)
        return proc

    def stop(self, proc: Proc) -> None:
        proc.stop()
        if proc in self.procs:
            self.procs.remove(proc)

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.stop()

    def log(self, text: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)

    # -- the upstream: the sandbox's answers, canned -----------------------------------------

    def setup(self) -> None:
        sandbox = self.spawn(
            "sandbox",
            [PYTHON, "-m", "sandbox", "serve", "--family", "rest_oauth", "--port",
             str(PORTS["sandbox"]), "--step-seconds", "0.05", "--log-level", "warning"],
        )  # fmt: skip
        wait_http(f"{url(PORTS['sandbox'])}/_sandbox/health", proc=sandbox)
        self.rec = asyncio.run(record(url(PORTS["sandbox"])))
        self.stop(sandbox)
        conf = nginx_conf(
            self.work / "upstream",
            canned_upstream(PORTS["upstream"], self.rec.canned(), self.work / "upstream"),
        )
        upstream = self.spawn(
            "nginx-upstream", [nginx_binary(), "-c", str(conf), "-p", str(self.work / "upstream")]
        )
        wait_http(f"{url(PORTS['upstream'])}/440000/api/v1/ping", proc=upstream)
        self.token = json.loads(self.rec.token.body)["access_token"]
        self.log(f"work dir {self.work}; upstream answers recorded from the sandbox")

    def wire_load(self, path: str) -> Load:
        assert self.rec is not None
        return Load(
            path,
            "POST",
            {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            [self.rec.lookup.request_body],
        )

    def query_load(self, provinces: list[list[str]] | None = None, delay_ms: float = 0.0) -> Load:
        assert self.rec is not None
        sets = provinces or [["440000"]]
        bodies = [json.dumps({**self.rec.query, "provinces": p}, ensure_ascii=False) for p in sets]
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"}
        return Load(QUERY_PATH, "POST", headers, bodies, delay_ms)

    # -- the gateway ------------------------------------------------------------------------

    def provinces_dir(self) -> Path:
        """31 provinces on the rest_oauth family, each binding all 132 items."""
        from gateway.catalogue import Catalogue

        directory = self.work / "provinces"
        if directory.exists():
            return directory
        directory.mkdir()
        items = [item.code for item in Catalogue.load().items()]
        local = {
            "social-insurance-contributions": "RS-0101",
            "unemployment-registration": "RS-0207",
        }
        for code in sorted(PROVINCES):
            lines = [
                f'code = "{code}"',
                'family = "rest_oauth"',
                f'base_url = "{url(PORTS["upstream"])}/{code}"',
                "timeout_seconds = 8.0",
                "[credentials]",
                'client_id = "tongban-gd"',
                'client_secret = "gd-sandbox-secret"',
                "[items]",
            ]
            for n, item in enumerate(items):
                lines.append(
                    f'"{item}" = {{ local_code = "{code}-{local.get(item, f"X-{n:03d}")}" }}'
                )
            (directory / f"{code}.toml").write_text("\n".join(lines) + "\n")
        return directory

    def database(self, kind: str) -> str:
        from gateway.store.migrate import upgrade

        if kind == "sqlite":
            path = self.work / f"bench-{uuid.uuid4().hex[:6]}.db"
            database_url = f"sqlite+aiosqlite:///{path}"
        else:
            name = f"tongban_bench_{uuid.uuid4().hex[:8]}"
            subprocess.run(["psql", POSTGRES_ADMIN, "-qc", f'CREATE DATABASE "{name}"'], check=True)
            self.pg_databases.append(name)
            database_url = (
                POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
                + f"/{name}"
            )
        upgrade(database_url)
        self.api_key = asyncio.run(self._client(database_url))
        return database_url

    pg_databases: list[str] = []  # noqa: RUF012 - one Bench per run

    async def _client(self, database_url: str) -> str:
        from gateway import security
        from gateway.privacy import Sealer
        from gateway.store.db import make_engine, make_sessions

        engine = make_engine(database_url)
        try:
            async with make_sessions(engine).begin() as session:
                issued = await security.register(
                    session,
                    secret_key=SECRET_KEY,
                    sealer=Sealer(bytes.fromhex(DATA_KEY), "k1"),
                    name="bench",
                    kind="app",
                )
        finally:
            await engine.dispose()
        return str(issued.api_key)

    def gateway_env(self, database_url: str, **extra: str) -> dict[str, str]:
        env = {
            "TONGBAN_ENVIRONMENT": "production",
            "TONGBAN_SECRET_KEY": SECRET_KEY,
            "TONGBAN_DATA_KEY": DATA_KEY,
            "TONGBAN_DATABASE_URL": database_url,
            "TONGBAN_PROVINCES_DIR": str(self.provinces_dir()),
            "TONGBAN_PUBLIC_URL": url(PORTS["gateway"]),
            "TONGBAN_LOG_LEVEL": "INFO",  # the access log is on, written to a file
            "TONGBAN_LOG_JSON": "true",
            # Quotas run, but must not refuse the benchmark's one client.
            "TONGBAN_CLIENT_RATE_PER_MINUTE": "1000000000",
            "TONGBAN_APPLICANT_SUBMISSIONS_PER_HOUR": "1000000000",
        }
        env.update(extra)
        return env

    @contextmanager
    def gateway(
        self,
        database_url: str,
        *,
        processes: int = 1,
        workers: bool = False,
        name: str = "gateway",
        port: int = PORTS["gateway"],
        cwd: Path = REPO,
        **extra: str,
    ) -> Iterator[Proc]:
        """A gateway serving until the block ends; ``cwd``: the source tree it runs from."""
        env = self.gateway_env(database_url, **extra)
        if processes > 1:
            metrics_dir = self.work / f"metrics-{uuid.uuid4().hex[:6]}"
            metrics_dir.mkdir()
            env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        # ``python -m gateway`` imports with the collector paused; revisions before it
        # (bench/compare.py runs them) have only ``gateway.cli``.
        entry = "gateway" if (cwd / "gateway" / "__main__.py").exists() else "gateway.cli"
        cmd = [
            PYTHON,
            "-m",
            entry,
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
        ]
        cmd += ["--workers" if workers else "--no-workers", "--processes", str(processes)]
        proc = self.spawn(name, cmd, env, cwd)
        try:
            wait_http(f"{url(port)}/healthz", timeout=60, proc=proc)
            yield proc
        finally:
            self.stop(proc)

    def check_query(self, provinces: list[str], port: int = PORTS["gateway"]) -> dict[str, Any]:
        assert self.rec is not None
        response = httpx.post(
            url(port) + QUERY_PATH,
            json={**self.rec.query, "provinces": provinces},
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=30,
        )
        body: dict[str, Any] = response.json()
        if response.status_code != 200 or not body.get("complete"):
            raise RuntimeError(f"query failed: {response.status_code} {response.text[:500]}")
        return body

    def measure(self, base: str, load: Load, connections: int = 50) -> dict[str, Any]:
        wrk(base, load, connections=connections, duration=self.warm)
        return wrk(base, load, connections=connections, duration=self.seconds)

    # -- sections ----------------------------------------------------------------------------

    def throughput(self) -> None:
        """Every contestant runs at once and they are measured in turns, ``self.rounds``
        rounds; each one's figure is its median round (by req/s). This machine's speed drifts
        within minutes: in turns, every contestant meets the same drift."""
        wire_path = self.rec.lookup.path if self.rec else ""
        upstream_url = url(PORTS["upstream"]) + wire_path
        contestants: dict[str, tuple[str, Load]] = {
            "upstream_direct": (url(PORTS["upstream"]), self.wire_load(wire_path))
        }
        conf = nginx_conf(self.work / "proxy", proxy_server(PORTS["nginx"], PORTS["upstream"]))
        nginx = self.spawn(
            "nginx-proxy", [nginx_binary(), "-c", str(conf), "-p", str(self.work / "proxy")]
        )
        wait_http(f"{url(PORTS['nginx'])}/440000/api/v1/ping", proc=nginx)
        contestants["nginx"] = (url(PORTS["nginx"]), self.wire_load(wire_path))
        env = {"BENCH_UPSTREAM": upstream_url, "BENCH_UPSTREAM_AUTH": f"Bearer {self.token}"}
        passthroughs = [nginx]
        for kind in PASSTHROUGHS:
            port = PORTS[kind]
            proc = self.spawn(kind, [PYTHON, "-m", "bench.passthrough", kind, str(port)], env)
            passthroughs.append(proc)
            wait_http_post(
                url(port) + "/pass", self.rec.lookup.request_body if self.rec else "", proc
            )
            contestants[kind] = (url(port), self.wire_load("/pass"))
        database_url = self.database("sqlite")
        results: dict[str, Any] = {}
        with contextlib.ExitStack() as stack:
            gateways: dict[str, tuple[Proc, int]] = {}
            for key, processes, port in (
                ("gateway", 1, PORTS["gateway"]),
                ("gateway_2_processes", 2, PORTS["gateway2"]),
            ):
                proc = stack.enter_context(
                    self.gateway(database_url, processes=processes, name=key, port=port)
                )
                self.check_query(["440000"], port=port)
                gateways[key] = (proc, processes)
                contestants[key] = (url(port), self.query_load())
            rounds: dict[str, list[dict[str, Any]]] = {key: [] for key in contestants}
            for n in range(self.rounds):
                for key, (base, load) in contestants.items():
                    rounds[key].append(self.measure(base, load))
                self.log(
                    f"round {n + 1}: "
                    + ", ".join(f"{k} {r[-1]['rps']:.0f}" for k, r in rounds.items())
                )
            for key, (proc, processes) in gateways.items():
                rss = sum(status_kb(p, "VmRSS") for p in proc.pids()[-processes:])
                results[key] = {"rss_mb": round(rss / 1024 / processes, 1)}
        for proc in passthroughs:
            self.stop(proc)
        for key, measured in rounds.items():
            median = sorted(measured, key=lambda r: r["rps"])[len(measured) // 2]
            results[key] = {
                **median,
                "rounds_rps": [r["rps"] for r in measured],
                **results.get(key, {}),
            }
        self.results["throughput"] = results

    def latency(self) -> None:
        peak = self.results.get("throughput", {}).get("gateway", {}).get("rps")
        database_url = self.database("sqlite")
        results: dict[str, Any] = {}
        gateway = url(PORTS["gateway"])
        with self.gateway(database_url):
            if not peak:
                peak = self.measure(gateway, self.query_load())["rps"]
            target = peak / 2
            results["peak_rps"] = peak
            results["target_rps"] = round(target, 1)
            before = loop_lag(gateway)
            results["gateway"] = self.at_rate(gateway, self.query_load(), target)
            results["loop_lag"] = lag_between(before, loop_lag(gateway))
            # Two ways the same rate arrives less evenly or more evenly. Fixed pauses keep 50
            # connections in step, arriving in bursts; 5 connections cannot burst beyond 5.
            results["gateway_fixed_pauses"] = self.at_rate(
                gateway, self.query_load(), target, fixed_pauses=True
            )
            results["gateway_5_connections"] = self.at_rate(
                gateway, self.query_load(), target, connections=5
            )
        wire = self.rec.lookup.path if self.rec else ""
        results["upstream_direct"] = self.at_rate(
            url(PORTS["upstream"]), self.wire_load(wire), target
        )
        results["added_p50_ms"] = round(
            results["gateway"]["p50_ms"] - results["upstream_direct"]["p50_ms"], 3
        )
        results["added_p99_ms"] = round(
            results["gateway"]["p99_ms"] - results["upstream_direct"]["p99_ms"], 3
        )
        self.log(f"at {target:.0f} req/s: added p99 {results['added_p99_ms']} ms")
        self.results["latency"] = results

    def at_rate(
        self,
        base: str,
        load: Load,
        target: float,
        connections: int = 50,
        *,
        fixed_pauses: bool = False,
    ) -> dict[str, Any]:
        """wrk at about ``target`` req/s: ``connections``, each pausing between requests."""
        delay = max(0.0, 1000 * connections / target)
        result: dict[str, Any] = {}
        for _ in range(3):  # calibrate the pause to the latency at that rate
            result = wrk(
                base,
                load.with_delay(delay, fixed_pauses=fixed_pauses),
                connections=connections,
                duration=max(2.0, self.seconds / 2),
            )
            achieved = result["rps"]
            if achieved <= 0 or abs(achieved - target) / target < 0.05:
                break
            delay = max(0.0, delay + 1000 * connections * (1 / target - 1 / achieved))
        paced = load.with_delay(delay, fixed_pauses=fixed_pauses)
        result = wrk(base, paced, connections=connections, duration=self.seconds)
        result["pause_ms"] = round(delay, 2)
        result["pauses"] = "fixed" if fixed_pauses else "random"
        return result

    def fanout(self) -> None:
        everyone = sorted(PROVINCES)
        slow = self.spawn(
            "faultproxy",
            [PYTHON, "-m", "sandbox.faultproxy", "--upstream", f"{HOST}:{PORTS['upstream']}",
             "--port", str(PORTS["slow"]), "--toxics", json.dumps({"latency_ms": 50})],
        )  # fmt: skip
        wait_http(f"{url(PORTS['slow'])}/440000/api/v1/ping", proc=slow)
        results: dict[str, Any] = {"provinces": len(everyone), "latency_ms_each": 50}
        results["slowest_direct"] = asyncio.run(self.slowest(everyone))
        database_url = self.database("sqlite")
        bases = json.dumps({code: f"{url(PORTS['slow'])}/{code}" for code in everyone})
        with self.gateway(database_url, TONGBAN_PROVINCE_BASE_URLS=bases):
            answer = self.check_query(everyone)
            assert len(answer["answers"]) == len(everyone)
            one = self.query_load([everyone])
            results["idle"] = self.measure(url(PORTS["gateway"]), one, connections=1)
            # Under load: 50 connections of single-province queries (each 50 ms upstream),
            # paced to half of the gateway's peak, keep it busy while the fan-out is measured.
            peak = self.results.get("throughput", {}).get("gateway", {}).get("rps")
            pause = max(0.0, 1000 * 50 / (peak / 2) - 50) if peak else 0.0
            background = self.query_load([[code] for code in everyone], delay_ms=pause)
            loader = subprocess.Popen(
                [PYTHON, "-c", _WRK_IN_BACKGROUND, url(PORTS["gateway"]), background.script(),
                 QUERY_PATH, str(self.seconds + 2 * self.warm + 2)],
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            time.sleep(self.warm)
            results["under_load"] = self.measure(url(PORTS["gateway"]), one, connections=1)
            out, _ = loader.communicate(timeout=120)
            line = next((x for x in out.splitlines() if x.startswith("{")), "{}")
            results["background"] = json.loads(line)
        self.stop(slow)
        slowest = results["slowest_direct"]
        for phase in ("idle", "under_load"):
            results[phase]["over_slowest_p50_ms"] = round(
                results[phase]["p50_ms"] - slowest["p50_ms"], 2
            )
            results[phase]["over_slowest_p99_ms"] = round(
                results[phase]["p99_ms"] - slowest["p99_ms"], 2
            )
        self.log(
            f"fan-out 31×50 ms: p50 {results['idle']['p50_ms']} ms idle, "
            f"{results['under_load']['p50_ms']} ms under load; slowest {slowest['p50_ms']} ms"
        )
        self.results["fanout"] = results

    async def slowest(self, provinces: list[str]) -> dict[str, Any]:
        """The slowest of 31 concurrent calls, asked directly (aiohttp), as the yardstick."""
        import aiohttp

        assert self.rec is not None
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        rounds = 20 if self.quick else 40
        maxima: list[float] = []
        async with aiohttp.ClientSession() as session:

            async def one(code: str) -> float:
                started = time.perf_counter()
                target = f"{url(PORTS['slow'])}/{code}/api/v1/cx/{code}-RS-0101"
                async with session.post(
                    target, data=self.rec.lookup.request_body if self.rec else "", headers=headers
                ) as r:
                    await r.read()
                return time.perf_counter() - started

            for n in range(rounds + 3):
                times = await asyncio.gather(*(one(code) for code in provinces))
                if n >= 3:  # warm connections first
                    maxima.append(max(times) * 1000)
        maxima.sort()
        return {
            "p50_ms": round(statistics.median(maxima), 2),
            "p99_ms": round(maxima[min(len(maxima) - 1, int(len(maxima) * 0.99))], 2),
            "rounds": rounds,
        }

    def submissions(self) -> None:
        results: dict[str, Any] = {}
        body = json.dumps({"mode": "online", "data": APPLICATION}, ensure_ascii=False)
        for kind in ("sqlite", "postgres"):
            try:
                database_url = self.database(kind)
            except (subprocess.CalledProcessError, OSError) as exc:
                results[kind] = {"skipped": f"{type(exc).__name__}: {exc}"}
                continue
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.api_key}",
            }
            with self.gateway(database_url, workers=True, name=f"gateway-submit-{kind}",
                              TONGBAN_WORKER_CONCURRENCY="32"):  # fmt: skip
                started = time.monotonic()
                load = Load(APPLY_PATH, "POST", headers, [body])
                measured = wrk(url(PORTS["gateway"]), load, connections=50, duration=self.seconds)
                accepted = measured["requests"] - measured["non2xx"]
                drained = asyncio.run(self.drain(database_url, limit_s=120))
                elapsed = time.monotonic() - started
                measured["accepted_per_s"] = round(accepted / measured["seconds"], 1)
                measured["cases"] = drained["cases"]
                measured["delivered"] = drained["delivered"]
                measured["delivered_per_s"] = round(drained["delivered"] / elapsed, 1)
                measured["drain_seconds"] = round(elapsed - measured["seconds"], 1)
            results[kind] = measured
            rates = (measured["accepted_per_s"], measured["delivered_per_s"])
            self.log(f"submissions on {kind}: %s/s accepted, %s/s delivered" % rates)
        self.results["submissions"] = results

    async def drain(self, database_url: str, limit_s: float) -> dict[str, int]:
        """Wait until every outbox row is done; answers case and delivered-leg counts."""
        from sqlalchemy import func, select

        from gateway.store.db import make_engine, make_sessions
        from gateway.store.tables import Case, Outbox

        engine = make_engine(database_url)
        try:
            sessions = make_sessions(engine)
            deadline = time.monotonic() + limit_s
            while True:
                async with sessions() as session:
                    pending = await session.scalar(
                        select(func.count())
                        .select_from(Outbox)
                        .where(Outbox.done.is_(False), Outbox.action == "submit")
                    )
                    cases = await session.scalar(select(func.count()).select_from(Case))
                    delivered = await session.scalar(
                        select(func.count())
                        .select_from(Outbox)
                        .where(Outbox.done.is_(True), Outbox.action == "submit")
                    )
                if not pending or time.monotonic() > deadline:
                    return {
                        "cases": int(cases or 0),
                        "delivered": int(delivered or 0),
                        "pending": int(pending or 0),
                    }
                await asyncio.sleep(0.2)
        finally:
            await engine.dispose()

    def memory(self) -> None:
        everyone = sorted(PROVINCES)
        database_url = self.database("sqlite")
        results: dict[str, Any] = {}
        with self.gateway(database_url) as proc:
            self.check_query(["440000"])
            results["idle_rss_mb"] = round(status_kb(proc.pid, "VmRSS") / 1024, 1)
            load = self.query_load([[code] for code in everyone])
            wrk(url(PORTS["gateway"]), load, connections=50, duration=self.warm)
            results["after_50_connections_rss_mb"] = round(status_kb(proc.pid, "VmRSS") / 1024, 1)
            run = wrk(
                url(PORTS["gateway"]), load, connections=1000, duration=self.seconds, timeout=30
            )
            results["with_1000_connections"] = run
            results["peak_rss_mb"] = round(status_kb(proc.pid, "VmHWM") / 1024, 1)
            results["after_rss_mb"] = round(status_kb(proc.pid, "VmRSS") / 1024, 1)
        self.log(f"RSS idle {results['idle_rss_mb']} MB, peak {results['peak_rss_mb']} MB")
        self.results["memory"] = results

    def startup(self) -> None:
        database_url = self.database("sqlite")
        times = []
        for n in range(3):
            started = time.monotonic()
            with self.gateway(database_url, name=f"gateway-start-{n}"):
                times.append(time.monotonic() - started)
        # The floor on this machine: a fresh interpreter importing the libraries the gateway
        # is built on, and nothing of its own.
        floors = []
        for _ in range(3):
            started = time.monotonic()
            subprocess.run([PYTHON, "-c", f"import {', '.join(_FLOOR_IMPORTS)}"], check=True)
            floors.append(time.monotonic() - started)
        self.results["startup"] = {
            "runs_s": [round(t, 2) for t in times],
            "median_s": round(statistics.median(times), 2),
            "import_floor_s": round(statistics.median(floors), 2),
        }
        self.log(f"start-up {self.results['startup']['median_s']} s")

    def profile(self) -> None:
        spy = REPO / ".venv" / "bin" / "py-spy"
        if not spy.exists():
            self.results["profile"] = {"skipped": "py-spy not installed (pip install py-spy)"}
            return
        database_url = self.database("sqlite")
        raw = self.work / "profile.txt"
        with self.gateway(database_url, name="gateway-profile") as proc:
            self.check_query(["440000"])
            wrk(url(PORTS["gateway"]), self.query_load(), connections=50, duration=self.warm)
            sampler = subprocess.Popen(
                # --gil: only the thread holding the GIL, i.e. where the Python CPU goes.
                # Without it, aiosqlite's worker thread waiting on its queue showed as 15 %
                # of the samples (it uses 2 % of a core: /proc/<pid>/task/*/stat).
                [str(spy), "record", "--pid", str(proc.pid), "--rate", "250", "--format", "raw",
                 "--output", str(raw), "--duration", str(int(self.seconds)), "--nonblocking",
                 "--gil"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            measured = wrk(
                url(PORTS["gateway"]), self.query_load(), connections=50, duration=self.seconds
            )
            sampler.wait(timeout=60)
        if not raw.exists():
            self.results["profile"] = {"skipped": "py-spy could not attach (ptrace permission?)"}
            return
        summary = report.profile_summary(raw.read_text())
        summary["rps_while_sampled"] = measured["rps"]
        self.results["profile"] = summary
        (self.out / "profile.txt").write_text(report.profile_text(summary))
        self.log("profile written")

    def layers(self) -> None:
        """CPU per query, layer by layer, in one process (``bench/layers.py``)."""
        assert self.rec is not None
        database_url = self.database("sqlite")
        env = {
            **{k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"},
            **self.gateway_env(database_url),
            "BENCH_API_KEY": self.api_key,
            "BENCH_QUERY": json.dumps({**self.rec.query, "provinces": ["440000"]}),
            "BENCH_LAYER_CALLS": "1000" if self.quick else "3000",
        }
        self.logs.mkdir(parents=True, exist_ok=True)
        with (self.logs / "layers.log").open("wb") as log:
            done = subprocess.run(
                [PYTHON, "-m", "bench.layers"],
                env=env,
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                check=True,
                timeout=600,
            )
        self.results["layers"] = json.loads(done.stdout.strip().splitlines()[-1])
        self.log(f"layers: {self.results['layers']}")

    def cleanup_databases(self) -> None:
        for name in self.pg_databases:
            subprocess.run(
                ["psql", POSTGRES_ADMIN, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                check=False,
            )


def loop_lag(base: str) -> dict[str, float]:
    """The gateway's event-loop lag histogram (``tongban_event_loop_lag_seconds``): cumulative
    wake-up counts by upper bound, ``+Inf`` the total."""
    text = httpx.get(f"{base}/metrics", timeout=10).text
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("tongban_event_loop_lag_seconds_bucket{"):
            bound = line.split('le="', 1)[1].split('"', 1)[0]
            found[bound] = float(line.rsplit(" ", 1)[1])
    return found


def lag_between(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    """Wake-ups of the 100 ms timer during a run, and how many came later than 5/25/50 ms."""
    delta = {bound: after[bound] - before.get(bound, 0.0) for bound in after}
    total = delta.get("+Inf", 0.0)
    late = {
        f"later_than_{ms}ms": int(total - delta.get(f"{ms / 1000}", total)) for ms in (5, 25, 50)
    }
    return {"wakeups": int(total), **late}


def wait_http_post(target: str, body: str, proc: Proc) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise RuntimeError(f"{proc.name} exited: see {proc.log}")
        try:
            if httpx.post(target, content=body, timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{target} did not answer")


_WRK_IN_BACKGROUND = """
import sys, json
from bench.common import Load, wrk
base, script, path, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
class Scripted(Load):
    def script(self): return script
print(json.dumps(wrk(base, Scripted(path), connections=50, duration=seconds)))
"""

PASSTHROUGHS = ("fastapi_httpx", "fastapi_httpx_aiohttp", "fastapi_aiohttp", "starlette_aiohttp")

SECTIONS = (
    "throughput", "latency", "fanout", "submissions", "memory", "startup", "layers", "profile",
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="shorter runs (about half)")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    need("nginx", "wrk")
    args.out.mkdir(parents=True, exist_ok=True)
    bench = Bench(args.quick, args.out)
    earlier = args.out / "results.json"
    if "throughput" not in args.only and earlier.exists():
        bench.results["throughput"] = json.loads(earlier.read_text()).get("throughput", {})
    started = time.monotonic()
    load_before = os.getloadavg()
    try:
        bench.setup()
        for section in SECTIONS:
            if section in args.only:
                bench.log(f"— {section}")
                getattr(bench, section)()
    finally:
        bench.close()
        bench.cleanup_databases()
    bench.results["meta"] = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}",
        "quick": args.quick,
        "seconds_per_run": bench.seconds,
        "total_seconds": round(time.monotonic() - started, 1),
        # Other work on the machine skews every figure: the load average says how much.
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "nginx": subprocess.run(
            [nginx_binary(), "-v"], capture_output=True, text=True
        ).stderr.strip(),
    }
    previous = args.out / "results.json"
    merged: dict[str, Any] = (
        json.loads(previous.read_text())
        if previous.exists() and set(args.only) != set(SECTIONS)
        else {}
    )
    merged.update(bench.results)
    previous.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    (args.out / "results.md").write_text(report.markdown(merged))
    print((args.out / "results.md").read_text())


if __name__ == "__main__":
    main()
