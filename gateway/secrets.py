"""Where the server secret and the data key come from.

Production must set both (the settings refuse to start otherwise). The demo keeps generated
ones in ``var/demo-secrets.json`` so its database stays readable across restarts; tests get
fresh random ones.
"""

from __future__ import annotations

import json
import os
import secrets

from gateway.settings import REPO_ROOT, Settings

DEMO_SECRETS = REPO_ROOT / "var" / "demo-secrets.json"


def _generated() -> dict[str, str]:
    return {
        "secret_key": secrets.token_urlsafe(48),
        "data_key": secrets.token_hex(16),
        "demo_admin_key": "tbk_" + secrets.token_urlsafe(32),
        "demo_api_key": "tbk_" + secrets.token_urlsafe(32),
    }


def _demo_file() -> dict[str, str]:
    stored: dict[str, str] = {}
    if DEMO_SECRETS.exists():
        stored = json.loads(DEMO_SECRETS.read_text())
    fresh = {**_generated(), **stored}
    if fresh != stored:
        DEMO_SECRETS.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(DEMO_SECRETS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(fresh, fh)
    return fresh


def demo_keys() -> tuple[str, str]:
    """The demo's app and admin API keys, stable across demo runs."""
    stored = _demo_file()
    return stored["demo_api_key"], stored["demo_admin_key"]


def resolve_secrets(settings: Settings) -> tuple[str, bytes]:
    fallback: dict[str, str] = {}
    if settings.secret_key is None or settings.data_key is None:
        fallback = _demo_file() if settings.environment == "demo" else _generated()
    secret_key = (
        settings.secret_key.get_secret_value() if settings.secret_key else fallback["secret_key"]
    )
    data_key = settings.data_key.get_secret_value() if settings.data_key else fallback["data_key"]
    return secret_key, bytes.fromhex(data_key)
