"""Which canonical field names hold dates and which hold months, read from the models' types.

Provinces that write dates compactly (``YYYYMMDD``, ``YYYYMM``) send bare digits, so reading
an answer back needs to know, per field, whether ``"20300520"`` is a date. The models say it:
a field typed ``datetime.date`` (``PastDate`` included) is a date, a ``YearMonth`` is a month.
A name means one thing across the catalogue (``valid_until`` is a date everywhere); a name
typed as a date in one model and as a month or plain text in another is an error here, found
when the catalogue loads, not when a province's answer is misread.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from schemas._fields import MONTH_PATTERN

Temporal = Literal["date", "month"]

Found = dict[str, dict[str, str]]  # field name → kind → a model typing it so


def _is_month(metadata: list[Any]) -> bool:
    for m in metadata:
        if getattr(m, "pattern", None) == MONTH_PATTERN:
            return True
        if isinstance(m, FieldInfo) and _is_month(list(m.metadata)):  # Annotated inside a union
            return True
    return False


def _kind(annotation: Any, metadata: list[Any], seen: set[type[BaseModel]], found: Found) -> str:
    """'date', 'month', 'other' or 'model' (walked) for a field's annotation."""
    if _is_month(metadata):
        return "month"
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        return _kind(base, [*metadata, *extra], seen, found)
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        kinds = {
            _kind(arg, metadata, seen, found)
            for arg in typing.get_args(annotation)
            if arg is not type(None) and arg is not Ellipsis
        }
        kinds.discard("model")
        return kinds.pop() if len(kinds) == 1 else "other" if not kinds else "mixed"
    if annotation is dt.date:
        return "date"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        _walk(annotation, seen, found)
        return "model"
    return "other"


def _walk(model: type[BaseModel], seen: set[type[BaseModel]], found: Found) -> None:
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        kind = _kind(info.annotation, list(info.metadata), seen, found)
        if kind != "model":
            found.setdefault(name, {}).setdefault(kind, model.__name__)


def temporal_fields(models: typing.Iterable[type[BaseModel]]) -> dict[str, Temporal]:
    """Field name → ``"date"`` or ``"month"`` for every such field in ``models`` (nested too).

    Raises ``ValueError`` naming the models when a name is typed two ways.
    """
    found: Found = {}
    seen: set[type[BaseModel]] = set()
    for model in models:
        _walk(model, seen, found)
    out: dict[str, Temporal] = {}
    for name, kinds in sorted(found.items()):
        temporal = {k for k in kinds if k in ("date", "month")}
        if not temporal:
            continue
        if len(kinds) > 1:
            where = ", ".join(f"{kind} in {model}" for kind, model in sorted(kinds.items()))
            raise ValueError(f"field {name!r} is typed two ways: {where}")
        out[name] = "date" if "date" in temporal else "month"
    return out


@functools.cache
def catalogue_temporal_fields() -> dict[str, Temporal]:
    """``temporal_fields`` of every item's request and result models."""
    from schemas import all_items

    models: list[type[BaseModel]] = []
    for item in all_items():
        models += [item.request_model, item.result_model]
    return temporal_fields(models)
