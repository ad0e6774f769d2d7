"""Settings refuse combinations that would break the gateway's promises (gateway/settings.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.settings import Settings


def test_admission_must_exceed_one_provinces_bulkhead() -> None:
    """With no more query slots than one province's bulkhead, that province hanging could hold
    every slot until its deadline: refused, naming both settings."""
    with pytest.raises(ValidationError) as refused:
        Settings(environment="test", query_max_in_flight=64, province_max_concurrency=64)
    message = str(refused.value)
    assert "query_max_in_flight (64)" in message
    assert "province_max_concurrency (64)" in message


def test_defaults_leave_room_beside_a_hanging_province() -> None:
    settings = Settings(environment="test")
    assert settings.query_max_in_flight > settings.province_max_concurrency
    assert Settings(environment="test", query_max_in_flight=3, province_max_concurrency=2)


def test_retired_data_keys_are_sm4_keys() -> None:
    good = {"k0": "00112233445566778899aabbccddeeff"}
    settings = Settings(environment="test", data_keys_retired=good)
    assert settings.data_keys_retired["k0"].get_secret_value() == good["k0"]
    with pytest.raises(ValidationError, match="'k0' must be 32 hex digits"):
        Settings(environment="test", data_keys_retired={"k0": "abc"})
