"""Simulated provincial systems ("the sandbox") for Tongban's protocol families.

An independent, province-side implementation of the protocols in `docs/protocols/`: the
gateway's adapters are tested against it. It never imports `gateway`, `adapters` or `schemas`.

    python -m sandbox serve --family rest_oauth --port 9101
    python -m sandbox serve-all   # rest 9101, soap 9102, form 9103, batch 9104
"""

from __future__ import annotations

FAMILIES: tuple[str, ...] = ("rest_oauth", "soap_gbk", "form_sm3", "batch_callback")

# The port each family's server listens on by default (`serve-all`), as the gateway's
# adapters/provinces/*.toml expect.
DEFAULT_PORTS: dict[str, int] = {
    "rest_oauth": 9101,
    "soap_gbk": 9102,
    "form_sm3": 9103,
    "batch_callback": 9104,
}

__all__ = ["DEFAULT_PORTS", "FAMILIES"]
