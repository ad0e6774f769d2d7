"""The catalogue: service items loaded from ``schemas/``, and the models built from them.

For every item it builds, once, the typed envelope its operation takes (applications: mode
plus the item's request) and the typed answer it gives (queries: one answer per province).
The routers turn these into one OpenAPI operation per item.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator

from gateway.problems import ProblemDetails
from schemas import all_items
from schemas._counter import CounterReceipt
from schemas._model import Kind, Mode, ServiceItem


def pascal(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("-"))


class QueryAnswerBase(BaseModel):
    province: str = Field(description="GB/T 2260 code of the province that answered")
    province_name: str
    ok: bool
    problem: ProblemDetails | None = Field(
        default=None, description="Why this province gave no answer (when ok is false)"
    )


class ItemModels:
    """The generated models of one item."""

    def __init__(self, item: ServiceItem) -> None:
        self.item = item
        self.name = pascal(item.code)

    @cached_property
    def application(self) -> type[BaseModel]:
        modes: Any = Literal[tuple(m.value for m in self.item.modes)]
        example = _first_example(self.item.request_model)
        fields: dict[str, Any] = {
            "mode": (
                modes,
                Field(default=self.item.modes[0].value, description="Handling mode / 办理模式"),
            ),
            "data": (self.item.request_model, Field(description="The application / 申请内容")),
        }
        if Mode.counter in self.item.modes:
            fields["counter"] = (
                CounterReceipt | None,
                Field(
                    default=None,
                    validate_default=True,
                    description="Required in counter mode / 窗口代收信息",
                ),
            )
        return _envelope(f"{self.name}Application", example, self.item.modes[0].value, fields)

    @cached_property
    def answer(self) -> type[BaseModel]:
        optional_result: Any = self.item.result_model | None
        per_province: Any = create_model(
            f"{self.name}ProvinceAnswer",
            __base__=QueryAnswerBase,
            result=(optional_result, None),
        )
        return create_model(
            f"{self.name}Answer",
            item=(str, Field(description="Item code")),
            complete=(bool, Field(description="Every province asked has answered")),
            answers=(list[per_province], ...),
        )


class ApplicationBase(BaseModel):
    """Every application envelope: the counter block exactly when the mode is counter."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("counter", mode="after", check_fields=False)
    @classmethod
    def _counter_iff_counter_mode(cls, counter: Any, info: ValidationInfo) -> Any:
        mode = info.data.get("mode")
        if mode == Mode.counter.value and counter is None:
            raise ValueError("required in counter mode / 窗口代收须填写代收信息")
        if mode != Mode.counter.value and counter is not None:
            raise ValueError("only in counter mode / 仅窗口代收模式可填写")
        return counter


def _envelope(name: str, example: Any, mode: str, fields: dict[str, Any]) -> type[BaseModel]:
    model = create_model(name, __base__=ApplicationBase, **fields)
    if example is not None:
        # Read when the JSON Schema is generated, from the class's own config: no rebuild
        # (rebuilding compiled every envelope's validator twice: +3.7 MB per process).
        model.model_config["json_schema_extra"] = {"examples": [{"mode": mode, "data": example}]}
    return model


def _first_example(model: type[BaseModel]) -> Any:
    extra = model.model_config.get("json_schema_extra")
    if isinstance(extra, dict):
        examples = extra.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
    return None


class Catalogue:
    def __init__(self, items: Iterable[ServiceItem]) -> None:
        self._items = {item.code: item for item in items}
        self._models = {code: ItemModels(item) for code, item in self._items.items()}

    @classmethod
    def load(cls) -> Catalogue:
        """The catalogue of ``schemas/``; loaded once per process (it is immutable)."""
        return _loaded()

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> list[ServiceItem]:
        return list(self._items.values())

    def get(self, code: str) -> ServiceItem | None:
        return self._items.get(code)

    def models(self, code: str) -> ItemModels:
        return self._models[code]

    def of_kind(self, kind: Kind) -> list[ServiceItem]:
        return [item for item in self._items.values() if item.kind is kind]


@functools.cache
def _loaded() -> Catalogue:
    return Catalogue(all_items())
