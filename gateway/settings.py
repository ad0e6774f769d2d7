"""Settings from the environment (``TONGBAN_`` prefix), validated at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, StringConstraints, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


# A data key's id, stored beside what it seals (key_id columns: String(20)).
DataKeyId = Annotated[str, StringConstraints(min_length=1, max_length=20)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TONGBAN_", extra="ignore")

    environment: Literal["production", "demo", "test"] = "production"
    database_url: str = "sqlite+aiosqlite:///var/tongban.db"
    provinces_dir: Path = REPO_ROOT / "adapters" / "provinces"
    province_base_urls: dict[str, str] = Field(
        default_factory=dict,
        description="Override a province's base_url, e.g. to point at a sandbox: {code: url}",
    )

    # Secrets. Outside the demo and tests they must be set explicitly.
    secret_key: SecretStr | None = Field(
        default=None, description="Server secret for keyed digests of API keys (≥ 32 chars)"
    )
    data_key: SecretStr | None = Field(
        default=None, description="SM4 key for personal data at rest, 32 hex digits"
    )
    data_key_id: DataKeyId = "k1"
    data_keys_retired: dict[DataKeyId, SecretStr] = Field(
        default_factory=dict,
        description="Earlier data keys by id (JSON), still opening what they sealed until "
        "`tongban data reseal` has sealed it again with data_key",
    )

    # Workers: deliver legs, poll provinces.
    run_workers: bool = True
    worker_concurrency: int = Field(default=8, ge=1, le=256)
    worker_idle_seconds: float = Field(default=0.5, gt=0)
    leg_poll_seconds: float = Field(default=3.0, gt=0)
    retry_base_seconds: float = Field(default=1.0, gt=0)
    retry_max_seconds: float = Field(default=300.0, gt=0)
    max_delivery_attempts: int = Field(default=12, ge=1)
    lease_seconds: float = Field(default=60.0, gt=0)

    webhook_max_attempts: int = Field(default=8, ge=1, le=50)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    webhook_allow_private: bool | None = Field(
        default=None,
        description="Allow webhooks to loopback/private addresses (default: only demo and test)",
    )
    idempotency_retention_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    redis_url: str | None = Field(
        default=None, description="Redis for rate limits shared by every replica (redis://…)"
    )
    client_rate_per_minute: int = Field(default=1200, ge=1)
    applicant_submissions_per_hour: int = Field(default=30, ge=1)
    token_lifetime_seconds: int = Field(default=600, ge=60, le=3600)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    audit_retention_days: int = Field(default=180, ge=180, description="At least 180 days")
    personal_data_retention_days: int = Field(
        default=365, ge=1, description="Closed cases keep personal data this long"
    )
    health_interval_seconds: float = Field(default=30.0, gt=0)
    registry_sync_seconds: float = Field(
        default=2.0, gt=0, description="How often provinces registered in the database are reloaded"
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where provinces reach this gateway (callbacks go to /v1/callbacks/{code})",
    )
    log_level: str = "INFO"
    log_json: bool = True

    # Admission (gateway/admission.py): queries worked on at once by one process; more wait
    # their turn in order. The work is CPU-bound, so more in flight adds no throughput, only
    # memory (each holds a province's answer, ~100 KB decoded): this bounds a process's RSS
    # under thousands of connections. It must exceed the per-province bulkhead, or one hanging
    # province could hold every slot until its deadline (checked below).
    query_max_in_flight: int = Field(default=128, ge=2, le=10_000)

    # Allocations between young-generation collections in a serving process (Python: 700).
    gc_young_threshold: int = Field(default=10_000, ge=700, le=1_000_000)

    # Resilience per province (gateway/resilience.py).
    province_max_concurrency: int = Field(
        default=64, ge=1, le=10_000, description="Calls in flight per province (bulkhead)"
    )
    breaker_failure_threshold: int = Field(default=5, ge=1, description="Consecutive failures")
    breaker_failure_rate: float = Field(default=0.5, gt=0, le=1)
    breaker_min_calls: int = Field(default=20, ge=1, description="Before the rate applies")
    breaker_window_seconds: float = Field(default=10.0, ge=1)
    breaker_open_seconds: float = Field(default=15.0, gt=0, description="Until the probe")
    call_retry_attempts: int = Field(default=3, ge=1, le=10, description="Idempotent calls")
    call_retry_wait_initial_seconds: float = Field(default=0.05, ge=0)
    call_retry_wait_max_seconds: float = Field(default=1.0, ge=0)
    call_retry_budget_ratio: float = Field(default=0.2, ge=0, le=1)
    call_retry_budget_reserve: float = Field(default=10.0, ge=1)

    # The shared HTTP client to provinces.
    http_transport: Literal["aiohttp", "httpcore"] = Field(
        default="aiohttp",
        description="httpx transport: aiohttp's pool and parser (measured faster, see bench/) "
        "or httpx's own httpcore",
    )
    http_max_answer_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=65_536,
        description="Longest answer read from a province (aiohttp transport); a longer one is "
        "a 502 naming the province",
    )
    http_max_connections: int = Field(
        default=0,
        ge=0,
        description="Connections to provinces at once, all together; 0: no pool-wide cap, the "
        "bulkheads bound the calls in flight. A cap below provinces × bulkhead lets hanging "
        "provinces hold every connection (logged at start-up)",
    )
    http_max_keepalive_connections: int = Field(default=256, ge=0)

    # Observability (gateway/observability.py, gateway/metrics.py).
    metrics_enabled: bool = True
    access_log: bool = True
    otel_enabled: bool = Field(
        default=False, description="OpenTelemetry tracing (needs the 'otel' extra)"
    )
    otel_service_name: str = "tongban-gateway"

    @field_validator("data_key")
    @classmethod
    def _sm4_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _is_sm4_key(value.get_secret_value()):
            raise ValueError("data_key must be 32 hex digits (a 128-bit SM4 key)")
        return value

    @field_validator("data_keys_retired")
    @classmethod
    def _sm4_keys(cls, value: dict[str, SecretStr]) -> dict[str, SecretStr]:
        for key_id, key in value.items():
            if not _is_sm4_key(key.get_secret_value()):
                raise ValueError(f"data key {key_id!r} must be 32 hex digits (128-bit SM4)")
        return value

    @model_validator(mode="after")
    def _no_default_secrets_in_production(self) -> Settings:
        if self.environment == "production":
            missing = [name for name in ("secret_key", "data_key") if getattr(self, name) is None]
            if missing:
                raise ValueError(
                    "refusing to start in production without "
                    + ", ".join(f"TONGBAN_{name.upper()}" for name in missing)
                )
        if self.secret_key is not None and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("secret_key must be at least 32 characters")
        return self

    @model_validator(mode="after")
    def _admission_above_one_province(self) -> Settings:
        if self.query_max_in_flight <= self.province_max_concurrency:
            raise ValueError(
                f"query_max_in_flight ({self.query_max_in_flight}) must exceed "
                f"province_max_concurrency ({self.province_max_concurrency}): otherwise the "
                "calls to one hanging province can take every query slot until they time out"
            )
        return self

    @model_validator(mode="after")
    def _private_webhooks_outside_production_only(self) -> Settings:
        if self.webhook_allow_private is None:
            self.webhook_allow_private = self.environment != "production"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _is_sm4_key(raw: str) -> bool:
    try:
        return len(bytes.fromhex(raw)) == 16
    except ValueError:
        return False
