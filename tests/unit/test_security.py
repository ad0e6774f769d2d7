"""API keys are stored as their HMAC-SM3 under the gateway's secret key."""

from __future__ import annotations

import hmac

from gateway.security import digest


def test_an_api_key_s_digest_is_its_hmac_sm3_under_each_secret_key() -> None:
    for secret_key in ("secret-one-0123456789abcdef0123456789", "secret-two-0123456789abcdef"):
        for api_key in ("tbk_first", "tbk_second", "tbk_first"):
            expected = hmac.new(secret_key.encode(), api_key.encode(), "sm3").hexdigest()
            assert digest(secret_key, api_key) == expected
