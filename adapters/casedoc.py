"""Reading a JSON family's case document into a ``LegState``: the families differ only in
the names of six fields, so each declares them (``CaseFields``) and shares this reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.base import LegState
from adapters.errors import UpstreamProtocolError
from adapters.vocabulary import Vocabulary
from schemas._status import CaseStatus


@dataclass(frozen=True)
class CaseFields:
    """Where a family's case document keeps each part of a ``LegState``."""

    reference: str
    status: str
    description: str
    reason: str
    result: str
    updated: str
    parse_time: Callable[[Any], dt.datetime | None]


def read_case(
    doc: Mapping[str, Any],
    fields: CaseFields,
    *,
    statuses: Mapping[str, CaseStatus],
    vocab: Vocabulary,
    province: str,
) -> LegState:
    reference = doc.get(fields.reference)
    code = str(doc.get(fields.status) or "")
    status = statuses.get(code)
    if not reference or status is None:
        raise UpstreamProtocolError(
            f"case answer without {fields.reference} or known {fields.status} ({code!r})",
            province=province,
            code=code or None,
        )
    result = doc.get(fields.result)
    reason = doc.get(fields.reason)
    return LegState(
        reference=str(reference),
        status=status,
        provincial_code=code,
        description=str(doc.get(fields.description) or ""),
        reason=str(reason) if reason else None,
        result=vocab.from_wire(result) if isinstance(result, dict) else None,
        updated_at=fields.parse_time(doc.get(fields.updated)),
    )
