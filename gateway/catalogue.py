"""The catalogue: service items loaded from ``schemas/``, and the models built from them.

For every item it builds, once, the typed envelope its operation takes (applications: mode
plus the item's request) and the typed answer it gives (queries: one answer per province).
The routers turn these into one OpenAPI operation per item.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from gateway.problems import ProblemDetails
from schemas import all_items
from schemas._model import Kind, ServiceItem


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
        return create_model(
            f"{self.name}Application",
            __config__=ConfigDict(
                extra="forbid",
                json_schema_extra={
                    "examples": [{"mode": self.item.modes[0].value, "data": example}]
                }
                if example
                else None,
            ),
            mode=(
                modes,
                Field(default=self.item.modes[0].value, description="Handling mode / 办理模式"),
            ),
            data=(self.item.request_model, Field(description="The application / 申请内容")),
        )

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
        return cls(all_items())

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
