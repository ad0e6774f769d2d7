"""Two revisions' CPU per query as instructions counted by valgrind: a figure that does not
drift with the machine.

    python -m bench.instructions BASE [--layers adapter validated app] [--out bench/results]

Wall-clock CPU time on this machine drifts by 20-50 % within minutes (a shared host), so
``bench/compare.py`` cannot tell a 5 % change from noise, however many rounds it takes.
Instructions executed can: here each revision (BASE in a temporary worktree, and the working
tree) runs one layer of ``bench/layers.py`` in one process, against the same canned upstream,
under ``valgrind --tool=cachegrind --cache-sim=no``, twice: with 100 and with 600 calls (50 in
flight, after 50 warm-up calls). The difference over 500 is the instructions per call, free
of start-up. Two runs of the same tree agree within ~1 %.

Layers (as in ``bench/layers.py``): ``adapter`` (the province's adapter's ``query``: HTTP
client, decoding, translation, which every revision has), ``validated`` (+ the guard and the
answer's validation and serialisation), ``app`` (the whole query through the ASGI app, no
HTTP server).

Results: ``instructions.json`` and ``instructions.md`` in ``--out``. Needs valgrind
(``make bench-deps``). About a minute per layer and revision.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.common import PYTHON, REPO, RESULTS, need, revision, worktree
from bench.run import Bench

LAYERS = ("adapter", "validated", "app")
SMALL, LARGE = 100, 600

# Run in the tree measured (PYTHONPATH), so it imports that tree's gateway and bench.layers.
_COUNT = """
import asyncio, json, os, sys
from bench.layers import ITEM, PROVINCE, asgi_call
from gateway import dispatch
from gateway.app import build_runtime, create_app
from gateway.catalogue import Catalogue
from gateway.settings import Settings

layer, calls = sys.argv[1], int(sys.argv[2])
query = json.loads(os.environ["BENCH_QUERY"])


async def run(call):
    for _ in range(50):
        await call()
    slots = asyncio.Semaphore(50)

    async def one():
        async with slots:
            await call()

    await asyncio.gather(*(one() for _ in range(calls)))


async def main():
    settings, catalogue = Settings(), Catalogue.load()
    item = catalogue.get(ITEM)
    if layer == "app":
        app = create_app(settings)
        body = json.dumps(query, ensure_ascii=False).encode()
        path = f"/v1/items/{ITEM}/queries"
        key = os.environ["BENCH_API_KEY"]
        async with app.router.lifespan_context(app):
            await run(lambda: asgi_call(app, path, "POST", body, key))
        return
    runtime = build_runtime(settings, catalogue)
    try:
        guarded = runtime.registry.adapter(PROVINCE)
        conditions = item.request_model.model_validate(query).model_dump(
            mode="json", exclude_none=True
        )
        if layer == "adapter":
            await run(lambda: guarded.inner.query(ITEM, conditions))
        else:
            await run(lambda: dispatch._ask(guarded, item, conditions))
    finally:
        await runtime.http.aclose()
        await runtime.engine.dispose()


import uvloop

uvloop.run(main())
"""

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def count(tree: Path, layer: str, calls: int, env: dict[str, str]) -> int:
    """Instructions executed by one process running ``calls`` calls of ``layer``."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         PYTHON, "-c", _COUNT, layer, str(calls)],
        env={**env, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"},
        cwd=tree, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    found = _REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"{layer} in {tree} failed:\n{done.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def per_call(tree: Path, layer: str, env: dict[str, str]) -> int:
    difference = count(tree, layer, LARGE, env) - count(tree, layer, SMALL, env)
    return round(difference / (LARGE - SMALL))


def markdown(results: dict[str, Any]) -> str:
    base, head = results["base"], results["head"]
    out = [
        f"# Instructions per call: {base['revision']} vs {head['revision']}",
        "",
        f"{results['when']}; valgrind (cachegrind, no cache simulation), "
        f"({LARGE} calls − {SMALL} calls) ÷ {LARGE - SMALL}, 50 in flight, one process.",
        "",
        f"| layer | {base['revision']} | {head['revision']} | change |",
        "|---|---:|---:|---:|",
    ]
    for layer in results["layers"]:
        b, h = base["per_call"][layer], head["per_call"][layer]
        out.append(f"| {layer} | {b:,} | {h:,} | {(h - b) / b:+.1%} |")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base", help="the git revision to compare the working tree with")
    parser.add_argument("--layers", nargs="*", choices=LAYERS, default=list(LAYERS))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    need("valgrind")
    with worktree(args.base) as base_tree:
        results = run(args.base, base_tree, args.out, args.layers)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "instructions.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "instructions.md").write_text(markdown(results))
    print(markdown(results))


def run(base: str, base_tree: Path, out: Path, layers: list[str]) -> dict[str, Any]:
    """Each layer's instructions per call in both revisions."""
    bench = Bench(quick=True, out=out)
    sides: dict[str, dict[str, Any]] = {
        "base": {"revision": revision(base), "tree": base_tree, "per_call": {}},
        "head": {"revision": f"{revision('HEAD')} + working tree", "tree": REPO, "per_call": {}},
    }
    try:
        bench.setup()
        assert bench.rec is not None
        env = {
            **{k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"},
            **bench.gateway_env(bench.database("sqlite")),
            "BENCH_API_KEY": bench.api_key,
            "BENCH_QUERY": json.dumps({**bench.rec.query, "provinces": ["440000"]}),
        }
        for layer in layers:
            for key, side in sides.items():
                side["per_call"][layer] = per_call(side["tree"], layer, env)
                bench.log(f"{layer} {key}: {side['per_call'][layer]:,} instructions a call")
    finally:
        bench.close()
        bench.cleanup_databases()
    results: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M:%S %z"), "layers": layers}
    for key, side in sides.items():
        side.pop("tree")
        results[key] = side
    return results


if __name__ == "__main__":
    main()
