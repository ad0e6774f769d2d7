"""Two revisions of the gateway's query path, measured in turns on the same machine.

    python -m bench.compare BASE [--rounds 3] [--seconds 8] [--out bench/results]

This machine's speed drifts by 20-50 % within minutes (a shared host), so a figure from one
``make bench`` run does not compare with another's. Here the base revision (a git commit,
checked out in a temporary worktree) and the working tree take turns, ``--rounds`` times
each, against the same canned upstream and database: wrk at 50 connections, one process
each, as in the throughput section. Reported per revision: the median requests/s, CPU per
request of the serving process (``/proc``), p50 and p99. Both revisions must run on this
checkout's environment (same dependencies and database schema).

Results: ``compare.json`` and ``compare.md`` in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import PORTS, REPO, RESULTS, need, revision, worktree, wrk
from bench.run import QUERY_PATH, Bench, url


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of every thread of ``pid`` so far."""
    ticks = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(bench: Bench, tree: Path, database_url: str, name: str) -> dict[str, Any]:
    with bench.gateway(database_url, name=name, cwd=tree) as gateway:
        bench.check_query(["440000"])
        load = bench.query_load()
        wrk(url(PORTS["gateway"]), load, duration=bench.warm)
        cpu, started = _cpu_seconds(gateway.pid), time.monotonic()
        result = wrk(url(PORTS["gateway"]), load, duration=bench.seconds)
        elapsed = time.monotonic() - started
        used = _cpu_seconds(gateway.pid) - cpu
    result["cpu_us_per_request"] = round(used / max(1, result["rps"] * elapsed) * 1e6)
    return result


def summary(rows: list[dict[str, Any]]) -> dict[str, float]:
    return {
        "rps": statistics.median(r["rps"] for r in rows),
        "cpu_us_per_request": statistics.median(r["cpu_us_per_request"] for r in rows),
        "p50_ms": statistics.median(r["p50_ms"] for r in rows),
        "p99_ms": statistics.median(r["p99_ms"] for r in rows),
    }


def markdown(results: dict[str, Any]) -> str:
    base, head = results["base"], results["head"]
    out = [
        f"# {QUERY_PATH}: {base['revision']} vs {head['revision']}",
        "",
        f"{results['when']}; {results['rounds']} rounds in turns, wrk 50 connections, "
        f"{results['seconds']} s each; medians.",
        "",
        "| revision | req/s | CPU per request, µs | p50 ms | p99 ms | rounds (req/s) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for side in (base, head):
        s = side["median"]
        rounds = ", ".join(f"{r['rps']:,.0f}" for r in side["rounds"])
        out.append(
            f"| {side['revision']} | {s['rps']:,.0f} | {s['cpu_us_per_request']:,.0f} | "
            f"{s['p50_ms']} | {s['p99_ms']} | {rounds} |"
        )
    ratio = head["median"]["rps"] / base["median"]["rps"] if base["median"]["rps"] else 0
    out += ["", f"Working tree ÷ base: {ratio:.2f}× requests/s."]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base", help="the git revision to compare the working tree with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    need("nginx", "wrk")
    with worktree(args.base) as base_tree:
        results = run(args.base, base_tree, args.out, rounds=args.rounds, seconds=args.seconds)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "compare.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "compare.md").write_text(markdown(results))
    print(markdown(results))


def run(base: str, base_tree: Path, out: Path, *, rounds: int, seconds: float) -> dict[str, Any]:
    """Both revisions in turns, ``rounds`` times each."""
    bench = Bench(quick=False, out=out)
    bench.seconds = seconds
    sides: dict[str, dict[str, Any]] = {
        "base": {"revision": revision(base), "tree": base_tree, "rounds": []},
        "head": {"revision": f"{revision('HEAD')} + working tree", "tree": REPO, "rounds": []},
    }
    try:
        bench.setup()
        database_url = bench.database("sqlite")
        for n in range(rounds):
            for key, side in sides.items():
                row = measure(bench, side["tree"], database_url, f"gateway-{key}-{n}")
                side["rounds"].append(row)
                bench.log(
                    f"round {n + 1} {key}: {row['rps']:.0f} req/s, "
                    f"{row['cpu_us_per_request']} µs CPU a request"
                )
    finally:
        bench.close()
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "rounds": rounds,
        "seconds": seconds,
    }
    for key, side in sides.items():
        side.pop("tree")
        side["median"] = summary(side["rounds"])
        results[key] = side
    return results


if __name__ == "__main__":
    main()
