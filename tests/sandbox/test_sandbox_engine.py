"""The case engine and province data, without HTTP (a fake clock makes timing exact)."""

from __future__ import annotations

import ast
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from sandbox import FAMILIES
from sandbox.__main__ import main
from sandbox.data import ContributionData
from sandbox.engine import CaseEngine, NotAllowed
from sandbox.lifecycle import Outcome, Status, choose_outcome
from sandbox.parties import Party, mask_id
from sandbox.provinces import DEFAULT_PATH, CatalogError, load_catalog, parse_catalog
from sandbox.settings import ConfigStore, ConfigUpdate, OutcomeWeights, Settings

REPO = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_780_000_000.0

    def __call__(self) -> float:
        return self.now


def make_engine(outcome: str) -> tuple[CaseEngine, FakeClock]:
    catalog = load_catalog()
    provinces = catalog.hosted_by("rest_oauth")
    base = Settings(
        step_seconds=1.0,
        outcomes={outcome: 1.0},
        latency_ms=0,
        error_rate=0.0,
        hang=False,
        token_ttl_seconds=600,
        correction_wait_steps=3,
    )
    clock = FakeClock()
    config = ConfigStore(base, {code: {} for code in provinces})
    engine = CaseEngine(provinces, config.effective, ContributionData("202512", clock), clock)
    return engine, clock


def submit(engine: CaseEngine, serial: str = "s-1") -> str:
    item = load_catalog().provinces["440000"].items["440000-RS-0315"]
    case, replayed = engine.submit(
        "440000",
        serial=serial,
        item=item,
        data={"k": "v"},
        party=Party("张三", "11010519491231002X"),
    )
    assert not replayed
    return case.reference


def walk(engine: CaseEngine, clock: FakeClock, reference: str, steps: int) -> list[Status]:
    seen = []
    for _ in range(steps):
        seen.append(engine.get("440000", reference).status)
        clock.now += 1.0
    return seen


@pytest.mark.parametrize(
    ("outcome", "path"),
    [
        ("approved", ["received", "accepted", "processing", "closed-approved"]),
        ("rejected", ["received", "accepted", "processing", "closed-refused"]),
        ("not_accepted", ["received", "not-accepted"]),
        ("correction", ["received", "accepted"] + ["correction-requested"] * 3 + ["not-accepted"]),
    ],
)
def test_paths_one_step_each(outcome: str, path: list[str]) -> None:
    engine, clock = make_engine(outcome)
    reference = submit(engine)
    assert walk(engine, clock, reference, len(path) + 2) == [*path, path[-1], path[-1]]


def test_supplement_and_withdrawal_rules() -> None:
    engine, clock = make_engine("correction")
    reference = submit(engine)
    with pytest.raises(NotAllowed):
        engine.supplement("440000", reference, {})
    clock.now += 2.5
    assert engine.get("440000", reference).status is Status.correction_requested
    case = engine.supplement("440000", reference, {"more": "材料"})
    assert case.status is Status.processing
    assert case.supplements == [{"more": "材料"}]
    clock.now += 1.0
    assert engine.get("440000", reference).status is Status.closed_approved
    with pytest.raises(NotAllowed):
        engine.withdraw("440000", reference)

    other = submit(engine, "s-2")
    assert engine.withdraw("440000", other).status is Status.withdrawn
    clock.now += 10
    assert engine.get("440000", other).status is Status.withdrawn


def test_lazy_progress_survives_step_changes() -> None:
    engine, clock = make_engine("approved")
    reference = submit(engine)
    clock.now += 100
    case = engine.get("440000", reference)
    assert case.status is Status.closed_approved
    assert [s for s, _ in case.history] == [
        Status.received,
        Status.accepted,
        Status.processing,
        Status.closed_approved,
    ]
    assert case.decision is not None
    assert case.decision.number.startswith("粤人社决〔")


def test_outcome_choice_is_deterministic_and_weighted() -> None:
    weights = {"approved": 0.8, "correction": 0.1, "rejected": 0.05, "not_accepted": 0.05}
    assert choose_outcome("440000", "x", weights) == choose_outcome("440000", "x", weights)
    counts = Counter(choose_outcome("440000", f"s{n}", weights) for n in range(4000))
    assert 0.75 < counts[Outcome.approved] / 4000 < 0.85
    assert 0.07 < counts[Outcome.correction] / 4000 < 0.13
    assert choose_outcome("440000", "x", {"rejected": 1}) is Outcome.rejected


def test_masking_and_repr_hide_id_numbers() -> None:
    assert mask_id("11010519491231002X") == "110************02X"
    assert "11010519491231002X" not in repr(Party("张三", "11010519491231002X"))


def test_config_update_model() -> None:
    update = ConfigUpdate(outcomes=OutcomeWeights(correction=1))
    assert update.changes()["outcomes"] == {
        "approved": 0.0,
        "correction": 1.0,
        "rejected": 0.0,
        "not_accepted": 0.0,
    }


def test_catalog_vocab_override_and_errors() -> None:
    raw = {
        "families": {"rest_oauth": {"vocab": load_catalog().provinces["440000"].vocab.as_dict()}},
        "provinces": {
            "330000": {
                "name": "浙江省",
                "family": "rest_oauth",
                "letters": "ZJ",
                "decision_issuer": "浙人社决",
                "vocab": {"id_number": "zjhm"},
                "items": {"330000-01": {"kind": "social-insurance-contributions"}},
            }
        },
    }
    catalog = parse_catalog(raw)
    assert catalog.provinces["330000"].vocab["id_number"] == "zjhm"
    assert catalog.provinces["330000"].vocab["name"] == "xm"
    raw["provinces"]["330000"]["items"] = {"x": {"kind": "telepathy"}}  # type: ignore[index]
    with pytest.raises(CatalogError):
        parse_catalog(raw)
    assert DEFAULT_PATH.name == "provinces.toml"


def test_cli_refuses_non_loopback_hosts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--family", "rest_oauth", "--port", "9101", "--host", "192.0.2.1"])
    assert exited.value.code == 2
    assert "loopback" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_cli_serve_all_runs_all_four_families() -> None:
    ports = {family: _free_port() for family in FAMILIES}
    options = {
        "rest_oauth": "rest",
        "soap_gbk": "soap",
        "form_sm3": "form",
        "batch_callback": "batch",
    }
    arguments = [f"--{options[f]}-port={port}" for f, port in ports.items()]
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve-all", *arguments, "--log-level", "warning"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        families = {}
        deadline = time.monotonic() + 10
        for port in ports.values():
            while True:
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1)
                    families[port] = health.json()["family"]
                    break
                except httpx.TransportError:
                    assert process.poll() is None, process.stderr.read() if process.stderr else ""
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
        assert families == {port: family for family, port in ports.items()}
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
        if process.stderr:
            errors = process.stderr.read().decode()
            process.stderr.close()
            assert "Traceback" not in errors, errors


def test_cli_default_ports() -> None:
    from sandbox.__main__ import _parser

    args = _parser().parse_args(["serve-all"])
    assert (args.rest_port, args.soap_port, args.form_port, args.batch_port) == (
        9101,
        9102,
        9103,
        9104,
    )
    assert args.step_seconds == 2.0


def test_sandbox_is_independent_of_the_gateway() -> None:
    """The sandbox is a second implementation of the protocols: it may not borrow the first."""
    forbidden = {"gateway", "adapters", "schemas"}
    for path in (REPO / "sandbox").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            assert not {n.split(".")[0] for n in names} & forbidden, f"{path}: {names}"
