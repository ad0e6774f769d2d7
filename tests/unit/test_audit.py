"""The audit chain's hash, against an independent SM3 (``cryptography``)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives import hashes

from gateway.audit import GENESIS, Entry, chain_hash

_CHINA = dt.timezone(dt.timedelta(hours=8))


def _sm3(material: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(material)
    return digest.finalize().hex()


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2026, 11, 28, 1, 2, 3, 456789, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 28, 9, 2, 3, 456789, tzinfo=_CHINA),  # written as UTC
    ],
)
def test_the_chain_hash_is_sm3_of_the_previous_hash_and_the_sorted_record(
    at: dt.datetime,
) -> None:
    entry = Entry(actor="c1", actor_kind="app", action="query", item="社保", at=at)
    document = {
        "seq": 7,
        "actor": "c1",
        "actor_kind": "app",
        "action": "query",
        "result": "ok",
        "item": "社保",
        "case_id": None,
        "target": None,
        "terminal": None,
        "at": "2026-11-28T01:02:03.456789+00:00",
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = _sm3(GENESIS.encode() + text.encode())
    assert chain_hash(GENESIS, 7, entry) == expected
    assert chain_hash(GENESIS, 7, entry) == expected  # the algorithm's copy is not spent
