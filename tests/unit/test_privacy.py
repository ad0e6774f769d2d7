"""Sealing and masking of personal data."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from gateway.logs import redact
from gateway.privacy import Sealer, mask_id, mask_name, mask_phone, masked_person


def test_seal_round_trip_and_binding() -> None:
    sealer = Sealer(bytes.fromhex("00112233445566778899aabbccddeeff"), "k1")
    sealed = sealer.seal({"id_number": "11010519491231002X"}, bound_to="case-1")
    assert b"11010519491231002X" not in sealed
    assert sealer.open(sealed, bound_to="case-1") == {"id_number": "11010519491231002X"}
    with pytest.raises(InvalidTag):
        sealer.open(sealed, bound_to="case-2")
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(InvalidTag):
        sealer.open(tampered, bound_to="case-1")


def test_two_seals_of_one_document_differ() -> None:
    sealer = Sealer(bytes(16), "k1")
    assert sealer.seal({"a": 1}, bound_to="c") != sealer.seal({"a": 1}, bound_to="c")


def test_masks() -> None:
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_name("张三丰") == "张**"
    assert mask_phone("13800138000") == "138****8000"
    assert masked_person({"name": "张三", "id_number": "11010519491231002X", "x": 1}) == {
        "name": "张*",
        "id_number": "110105********002X",
    }


def test_log_redaction_masks_id_shaped_values() -> None:
    event = redact(None, "info", {"event": "x 11010519491231002X y", "n": 3})
    assert event["event"] == "x 110105********002X y"
    assert event["n"] == 3
