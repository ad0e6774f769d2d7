"""Command line: `python -m sandbox serve ...` / `python -m sandbox serve-all ...`."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

from sandbox import DEFAULT_PORTS, FAMILIES
from sandbox.app import create_app
from sandbox.server import NotLoopback, SandboxServer, check_loopback, make_server, serve

_PORT_OPTIONS: dict[str, str] = {
    "rest": "rest_oauth",
    "soap": "soap_gbk",
    "form": "form_sm3",
    "batch": "batch_callback",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="Simulated provincial systems for Tongban."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    common.add_argument(
        "--step-seconds",
        type=float,
        default=2.0,
        help="how long each case status lasts (default 2)",
    )
    common.add_argument(
        "--provinces",
        type=Path,
        default=None,
        help="province data (default: the bundled sandbox/provinces.toml)",
    )
    common.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("serve", parents=[common], help="serve one protocol family")
    one.add_argument("--family", required=True, choices=FAMILIES)
    one.add_argument("--port", type=int, required=True)
    every = sub.add_parser(
        "serve-all", parents=[common], help="serve all four families in one process"
    )
    for option, family in _PORT_OPTIONS.items():
        every.add_argument(
            f"--{option}-port",
            type=int,
            default=DEFAULT_PORTS[family],
            help=f"{family} (default {DEFAULT_PORTS[family]})",
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        check_loopback(args.host)
    except NotLoopback as exc:
        parser.error(str(exc))
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    ports: dict[str, int] = (
        {args.family: args.port}
        if args.command == "serve"
        else {family: getattr(args, f"{option}_port") for option, family in _PORT_OPTIONS.items()}
    )
    servers: list[SandboxServer] = []
    for family, port in ports.items():
        app = create_app(family, step_seconds=args.step_seconds, catalog=args.provinces)
        servers.append(make_server(app, args.host, port, log_level=args.log_level, lifespan="on"))
        print(f"sandbox {family}: http://{args.host}:{port}  (control: /_sandbox/health)")
    asyncio.run(serve(servers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
