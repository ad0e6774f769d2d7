"""Family wire styles: how typed answers become each family's keys, dates and numbers.

Answers (lookups, decisions) are built family-independently as trees keyed by *meaning*
(`records`, `month`, `issued_on`…) with typed values (`datetime.date`, `Month`, `Decimal`).
`render` turns such a tree into a family's wire form:

- keys through the province's vocabulary; a meaning the vocabulary does not name is sent in
  the sender's own spelling (snake_case; `soap_gbk` upper-cases it);
- dates and months compact (`YYYYMMDD` / `YYYYMM`) or ISO (`form_sm3`);
- `Decimal` as a two-place decimal string; None left out; `soap_gbk` leaves out empty lists
  (an empty element would read back as text).

Every date and month is sent in the family's form, whatever its key is called
(`expected_graduation`, `valid_until`): a receiver must know from its own schema which fields
hold dates, as it would with a real provincial system.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.provinces import Vocab

CENT = Decimal("0.01")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    def compact(self) -> str:
        return f"{self.year:04d}{self.month:02d}"

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + months)


@dataclass(frozen=True)
class WireStyle:
    family: str
    compact_dates: bool = True  # YYYYMMDD / YYYYMM; False: ISO yyyy-MM-dd / yyyy-MM
    upper_unmapped: bool = False  # meanings without a vocabulary key go upper-case (SOAP)
    omit_empty_lists: bool = False  # SOAP: an empty list element would read back as ""

    def unmapped(self, meaning: str) -> str:
        return meaning.upper() if self.upper_unmapped else meaning

    def date(self, value: dt.date) -> str:
        return value.strftime("%Y%m%d") if self.compact_dates else value.isoformat()

    def month(self, value: Month) -> str:
        return value.compact() if self.compact_dates else value.iso()

    def parse_month(self, text: str) -> Month | None:
        match = (_COMPACT_MONTH if self.compact_dates else _ISO_MONTH).fullmatch(text)
        if match is None:
            return None
        year, month = int(match[1]), int(match[2])
        return Month(year, month) if 1 <= month <= 12 else None

    def parse_date(self, text: str) -> dt.date | None:
        pattern = "%Y%m%d" if self.compact_dates else "%Y-%m-%d"
        if not (_COMPACT_DATE if self.compact_dates else _ISO_DATE).fullmatch(text):
            return None
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            return None

    @property
    def month_format(self) -> str:
        return "YYYYMM" if self.compact_dates else "yyyy-MM"

    @property
    def date_format(self) -> str:
        return "YYYYMMDD" if self.compact_dates else "yyyy-MM-dd"


_COMPACT_MONTH = re.compile(r"(\d{4})(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_COMPACT_DATE = re.compile(r"\d{8}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

STYLES: dict[str, WireStyle] = {
    "rest_oauth": WireStyle("rest_oauth"),
    "soap_gbk": WireStyle("soap_gbk", upper_unmapped=True, omit_empty_lists=True),
    "form_sm3": WireStyle("form_sm3", compact_dates=False),
    "batch_callback": WireStyle("batch_callback"),
}


def money(value: Decimal) -> str:
    """A decimal string with two places."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


_LEFT_OUT = object()


def render(tree: Any, vocab: Vocab, style: WireStyle) -> Any:
    """A meaning-keyed tree in the family's wire form (see the module docstring)."""
    out = _render(tree, None, vocab, style)
    return None if out is _LEFT_OUT else out


def _render(value: Any, meaning: str | None, vocab: Vocab, style: WireStyle) -> Any:
    if value is None:
        return _LEFT_OUT
    if isinstance(value, Mapping):
        rendered: dict[str, Any] = {}
        for key, inner in value.items():
            out = _render(inner, str(key), vocab, style)
            if out is not _LEFT_OUT:
                rendered[vocab.key(str(key))] = out
        return rendered
    if isinstance(value, list | tuple):
        items = [_render(v, meaning, vocab, style) for v in value]
        items = [v for v in items if v is not _LEFT_OUT]
        if not items and style.omit_empty_lists:
            return _LEFT_OUT
        return items
    if isinstance(value, Month):
        return style.month(value)
    if isinstance(value, dt.date):
        return style.date(value)
    if isinstance(value, Decimal):
        return money(value)
    return value
