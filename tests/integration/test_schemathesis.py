"""Property-based API conformance with Schemathesis, in process (ASGI).

Every operation in the document — one ``POST`` per catalogue item, the catalogue, provinces,
applications and the actions on them, webhooks, callbacks, tokens, health, and the admin API
(with the admin key) — is called with generated requests — valid ones from the document's
examples and from its schemas, and invalid ones — with a valid API key, and each
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
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.types import Receive, Scope, Send

from gateway.app import create_app
from gateway.openapi import document
from gateway.store.migrate import upgrade_async
from schemas import all_items
from tests.conftest import Sandboxes, make_settings
from tests.integration.conftest import make_clients

Case = schemathesis.Case[Any]

# Hypothesis flags a change of the global `random` state while it draws a case as a strategy
# using `random`. Here the sandbox servers' threads (random outcomes and faults) move it
# while the main thread draws: not the strategy's doing.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies"
    ":hypothesis.errors.HypothesisDeprecationWarning"
)

EXAMPLES = int(os.environ.get("TONGBAN_SCHEMATHESIS_EXAMPLES", "3"))
_SEED = os.environ.get("TONGBAN_SCHEMATHESIS_SEED", "20240301")
SEED = random.randrange(2**32) if _SEED == "random" else int(_SEED)

# The operations under test: all of them (a test below checks the list is complete).
OPERATIONS = (
    r"^/v1/items/[^/]+/(queries|applications)$"  # one POST per item
    r"|^/v1/(items|provinces|applications)(/\{[a-z_]+\})?$"  # GET lists and GET one
    r"|^/v1/applications/\{case_id\}/(cancel|corrections|delivery)$"  # acting on a case
    r"|^/v1/webhook/deliveries(/\{delivery_id\}/retry)?$"  # the dead-letter list
    r"|^/admin/v1/.*$"  # ops, with the admin key
    r"|^/v1/webhook$|^/v1/callbacks/\{province\}$|^/oauth/token$|^/(healthz|readyz)$"
)
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


# Filled in by the gateway_app fixture: the API key the run authenticates with.
_CREDENTIALS: dict[str, str] = {}
PENDING = "tbk_pending"


class Gateway:
    """The ASGI app under test: forwards to the gateway the fixture built for this run.

    Schemathesis builds the tests (and the explicit examples) at collection, before fixtures
    run; the gateway needs the fixture's database and sandbox URLs, so it is plugged in then.
    The gateway's lifespan is the fixture's to run: Schemathesis starts and stops a lifespan
    around every test, which here is answered without touching the gateway.
    """

    def __init__(self) -> None:
        self.app: FastAPI | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        assert self.app is not None, "the gateway_app fixture is not active"
        await self.app(scope, receive, send)


GATEWAY = Gateway()

# The document the gateway serves (the same code builds it; test_openapi keeps the exported
# copy current), answered in process by GATEWAY.
schema = schemathesis.openapi.from_dict(document(), config=_config()).include(path_regex=OPERATIONS)
schema.app = GATEWAY


@schema.auth(refresh_interval=None)
class ApiKey:
    """A valid client API key on every call (ignored_auth probes without it, and with junk)."""

    def get(self, case: Case, context: schemathesis.AuthContext) -> str:
        # Explicit examples are built at collection, before the fixture made a key.
        which = "admin_key" if case.operation.path.startswith("/admin/") else "api_key"
        return _CREDENTIALS.get(which, PENDING)

    def set(self, case: Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


@pytest.fixture(scope="module")
async def gateway_app(
    tmp_path_factory: pytest.TempPathFactory, sandboxes: Sandboxes
) -> AsyncIterator[FastAPI]:
    database_url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('schemathesis') / 'tb.db'}"
    await upgrade_async(database_url)
    made = await make_clients(database_url)
    _CREDENTIALS["api_key"], _CREDENTIALS["admin_key"] = made["app"].key, made["ops"].key
    app = create_app(
        make_settings(
            database_url,
            province_base_urls=sandboxes.overrides(),
            run_workers=False,
            client_rate_per_minute=1_000_000,  # a conformance run, not a quota test
        )
    )
    # Every request is served in Schemathesis' event-loop thread: the lifespan (database,
    # registry, health loop) runs there too, from startup here to shutdown after the last test.
    portal = asgi._get_portal()
    lifespan = app.router.lifespan_context(app)
    portal.call(lifespan.__aenter__)
    GATEWAY.app = app
    try:
        yield app
    finally:
        GATEWAY.app = None
        portal.call(lifespan.__aexit__, None, None, None)
        _CREDENTIALS.clear()


def test_every_item_has_an_operation_under_test() -> None:
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert len(operations) == len(list(schema.get_all_operations()))
    items = [op for op in operations if op.method == "post" and op.path.startswith("/v1/items/")]
    assert len(items) == len(all_items()) == 132
    assert {op.method for op in operations} == {"get", "post", "put", "delete"}
    documented = {(m, path) for path, ops in document()["paths"].items() for m in ops}
    assert {(op.method, op.path) for op in operations} == documented  # none left out
    others = {(op.method, op.path) for op in operations} - {(op.method, op.path) for op in items}
    assert (
        others
        == {
            ("get", "/v1/items"),
            ("get", "/v1/items/{code}"),
            ("get", "/v1/provinces"),
            ("get", "/v1/applications"),
            ("get", "/v1/applications/{case_id}"),
            ("post", "/v1/applications/{case_id}/cancel"),
            ("post", "/v1/applications/{case_id}/corrections"),
            ("post", "/v1/applications/{case_id}/delivery"),
            ("get", "/v1/webhook/deliveries"),
            ("post", "/v1/webhook/deliveries/{delivery_id}/retry"),
        }
        | ADMIN
        | REST
    )


REST = {
    ("put", "/v1/webhook"),
    ("get", "/v1/webhook"),
    ("delete", "/v1/webhook"),
    ("post", "/v1/callbacks/{province}"),
    ("post", "/oauth/token"),
    ("get", "/healthz"),
    ("get", "/readyz"),
}
ADMIN = {
    ("get", "/admin/v1/families"),
    ("get", "/admin/v1/provinces"),
    ("get", "/admin/v1/provinces/{code}"),
    ("put", "/admin/v1/provinces/{code}"),
    ("post", "/admin/v1/provinces/{code}/enable"),
    ("post", "/admin/v1/provinces/{code}/disable"),
    ("put", "/admin/v1/provinces/{code}/coverage"),
    ("post", "/admin/v1/provinces/{code}/check"),
    ("post", "/admin/v1/clients"),
    ("get", "/admin/v1/clients"),
    ("post", "/admin/v1/clients/{client_id}/rotate"),
    ("post", "/admin/v1/clients/{client_id}/disable"),
    ("post", "/admin/v1/clients/{client_id}/enable"),
}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_document(case: Case, gateway_app: FastAPI) -> None:
    if case.headers.get("Authorization") == f"Bearer {PENDING}":
        case.headers["Authorization"] = f"Bearer {_CREDENTIALS['api_key']}"
    assert GATEWAY.app is gateway_app
    case.call_and_validate(base_url=f"http://{asgi.HOST}", checks=CHECKS)
