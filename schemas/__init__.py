"""Unified schemas: one module per department, each exporting ``ITEMS``.

``all_items()`` is what the gateway's catalogue loads. Keep department modules in
``DEPARTMENT_MODULES``; a module that is listed but fails to import is a start-up error.
"""

from __future__ import annotations

import importlib

from pydantic import BaseModel
from pydantic.config import JsonDict

from schemas._model import ServiceItem

DEPARTMENT_MODULES: tuple[str, ...] = (
    "hrss",
    "hrss_pension",
    "hrss_insurance",
    "hrss_cards",
    "hrss_employment",
    "medical_insurance",
    "medical_insurance_remote",
    "housing_fund",
    "housing_fund_services",
    "public_security",
    "public_security_services",
    "public_security_traffic",
    "civil_affairs",
    "disabled_persons",
    "education",
    "education_services",
    "transport",
    "market_regulation",
    "market_regulation_changes",
    "market_regulation_licences",
    "ecology_environment",
    "health",
    "justice",
    "natural_resources",
    "electricity",
    "taxation",
    "housing_construction",
    "agriculture",
    "commerce",
    "culture_tourism",
    "emergency",
    "veterans",
    "finance",
)


def all_items() -> tuple[ServiceItem, ...]:
    items: list[ServiceItem] = []
    for name in DEPARTMENT_MODULES:
        module = importlib.import_module(f"schemas.{name}")
        items.extend(module.ITEMS)
    codes = [item.code for item in items]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise ValueError(f"duplicate item codes: {', '.join(duplicated)}")
    return tuple(items)


def model_examples(model: type[BaseModel]) -> list[JsonDict]:
    """The examples a request or result model carries for its OpenAPI schema (may be empty)."""
    extra = model.model_config.get("json_schema_extra")
    found = extra.get("examples") if isinstance(extra, dict) else None
    if not isinstance(found, list):
        return []
    return [dict(example) for example in found if isinstance(example, dict)]
