"""Changing a province adapter at run time: one path for the admin API and the CLI."""

from __future__ import annotations

from adapters.base import ProvinceConfig
from adapters.errors import ConfigurationError
from gateway import province_store
from gateway.health import check_all
from gateway.runtime import Runtime
from gateway.settings import Settings


class UnknownItems(ValueError):
    def __init__(self, codes: list[str]) -> None:
        super().__init__(f"unknown item codes: {', '.join(codes)}")
        self.codes = codes


def current(runtime: Runtime, code: str) -> ProvinceConfig | None:
    return runtime.registry.config(code)


async def store(runtime: Runtime, config: ProvinceConfig, *, actor: str) -> int:
    """Validate, persist and install ``config``; returns its database version.

    Raises ``UnknownItems`` or ``ConfigurationError`` and changes nothing when the
    configuration cannot work.
    """
    unknown = sorted(set(config.items) - {i.code for i in runtime.catalogue.items()})
    if unknown:
        raise UnknownItems(unknown)
    _no_gateway_secrets(config)
    runtime.registry.validate(config)
    async with runtime.sessions.begin() as session:
        version = await province_store.save(session, runtime.sealer, config, actor=actor)
    runtime.registry.install(config, version=version)
    await check_all(runtime.registry, only=[config.code], callback_base=runtime.settings.public_url)
    return version


def _no_gateway_secrets(config: ProvinceConfig) -> None:
    """``env:NAME`` credentials are sent to the province's base URL: a registration must not
    name one of the gateway's own settings (its secret key, data key, database URL…)."""
    own = {f"TONGBAN_{name.upper()}" for name in Settings.model_fields}
    for key, value in config.credentials.items():
        if value.startswith("env:") and value[4:].upper() in own:
            raise ConfigurationError(
                f"credential {key!r} names the gateway's own setting {value[4:]}; province "
                "credentials come from variables of their own",
                province=config.code,
            )


__all__ = ["ConfigurationError", "UnknownItems", "current", "store"]
