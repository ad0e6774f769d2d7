"""The exported OpenAPI document, rendered deterministically (a test compares it)."""

from __future__ import annotations

import json
from typing import Any

from gateway.app import create_app
from gateway.settings import Settings


def document() -> dict[str, Any]:
    app = create_app(Settings(environment="test", run_workers=False))
    return app.openapi()


def render() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
