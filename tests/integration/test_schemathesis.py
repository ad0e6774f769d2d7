"""Property-based API conformance with Schemathesis, in process (ASGI).

Every item operation (one ``POST`` per item in the catalogue) and the catalogue, province and
application ``GET`` operations are called with generated requests — valid ones from the
document's examples and from its schemas, and invalid ones — with a valid API key, and each
answer is checked: no 5xx, a status and a content type the document declares, a body that
matches the declared schema, and authentication enforced (a probe without the key gets 401).

The gateway runs with its lifespan (database, registry, health loop) in Schemathesis' own
event-loop thread, against the sandbox provincial systems over loopback HTTP. The run is kept
short and repeatable: a few examples per operation and a fixed seed. For a longer, random hunt:

    TONGBAN_SCHEMATHESIS_EXAMPLES=50 TONGBAN_SCHEMATHESIS_SEED=random \\
        .venv/bin/python -m pytest -q tests/integration/test_schemathesis.py
"""

from __future__ import annotations

import os
import random
from collections.abc import AsyncIterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    response_schema_conformance,
    status_code_conformance,
)

from gateway.app import create_app
from gateway.store.migrate import upgrade_async
from tests.conftest import Sandboxes, test_settings
from tests.integration.conftest import make_clients

EXAMPLES = int(os.environ.get("TONGBAN_SCHEMATHESIS_EXAMPLES", "3"))
_SEED = os.environ.get("TONGBAN_SCHEMATHESIS_SEED", "20240301")
SEED = random.randrange(2**32) if _SEED == "random" else int(_SEED)

# The operations under test: every item operation, the catalogue, provinces and applications.
OPERATIONS = r"^/v1/(items|provinces|applications(/\{case_id\})?)(/|$)"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
    missing_required_header,  # acts on cases that leave a required header out
]


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "phases": {
                "examples": {"enabled": True},
                "fuzzing": {"enabled": True},
                "coverage": {"enabled": False},
                "stateful": {"enabled": False},
            },
            "generation": {"max-examples": EXAMPLES, "database": "none"},
        }
    )


@pytest.fixture(scope="module")
async def api_schema(
    tmp_path_factory: pytest.TempPathFactory, sandboxes: Sandboxes
) -> AsyncIterator[schemathesis.BaseSchema]:
    database_url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('schemathesis') / 'tb.db'}"
    await upgrade_async(database_url)
    api_key = (await make_clients(database_url))["app"]
    app = create_app(
        test_settings(
            database_url, province_base_urls=sandboxes.overrides(), run_workers=False
        )
    )
    # Loading the document starts the app's lifespan in Schemathesis' event-loop thread;
    # every request of the run is served there, shutdown_lifespans() stops it.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=_config())
    schema = schema.include(path_regex=OPERATIONS)

    class ApiKey:
        def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
            return api_key

        def set(
            self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext
        ) -> None:
            case.headers["Authorization"] = f"Bearer {data}"

    schema.auth(refresh_interval=None)(ApiKey)
    try:
        yield schema
    finally:
        asgi.shutdown_lifespans()


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_document(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
