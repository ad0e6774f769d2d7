"""Simulated provincial systems ("the sandbox") for Tongban's protocol families.

An independent, province-side implementation of the protocols in `docs/protocols/`: the
gateway's adapters are tested against it. It never imports `gateway`, `adapters` or `schemas`.

    python -m sandbox serve --family rest_oauth --port 9101
    python -m sandbox serve-all --rest-port 9101 --soap-port 9102
"""

from __future__ import annotations

FAMILIES: tuple[str, ...] = ("rest_oauth", "soap_gbk")

__all__ = ["FAMILIES"]
