"""Deterministic generated social insurance contribution records (参保缴费记录).

Everything follows from SHA-256 of (province, ID number): about 70% of people have records
in a given province, as one contiguous run of 12-120 months ending at or before the anchor
month, one record per month per insurance type.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from sandbox.clock import beijing
from sandbox.wire import CENT, Month, money

__all__ = ["CENT", "INSURANCE_TYPES", "RATES", "ContributionData", "Draws", "Month", "money"]

T = TypeVar("T")

# insurance type -> (employer rate, personal rate)
RATES: dict[str, tuple[Decimal, Decimal]] = {
    "110": (Decimal("0.16"), Decimal("0.08")),  # pension
    "210": (Decimal("0.005"), Decimal("0.005")),  # unemployment
    "310": (Decimal("0.08"), Decimal("0.02")),  # medical
    "410": (Decimal("0.004"), Decimal("0")),  # work injury
    "510": (Decimal("0.008"), Decimal("0")),  # maternity
}
INSURANCE_TYPES: tuple[str, ...] = tuple(RATES)
POOLED_TRANSFER_RATE = Decimal("0.12")  # pooled fund moves 12% of the contribution base

FALLBACK_EMPLOYER = "某某有限公司"


def month_index(yyyymm: str) -> int:
    return int(yyyymm[:4]) * 12 + int(yyyymm[4:6]) - 1


def month_text(index: int) -> str:
    return f"{index // 12:04d}{index % 12 + 1:02d}"


def valid_month(text: str) -> bool:
    return len(text) == 6 and text.isdigit() and 1 <= int(text[4:]) <= 12


@dataclass(frozen=True)
class Record:
    month: str
    insurance_type: str
    base: Decimal
    employer_amount: Decimal
    personal_amount: Decimal
    employer_name: str


@dataclass(frozen=True)
class PensionSummary:
    months: int
    personal_account_balance: Decimal
    pooled_fund_transferred: Decimal


class Draws:
    """A deterministic stream of integers from a seed."""

    def __init__(self, *seed: str) -> None:
        self._seed = "\x1f".join(seed).encode()
        self._counter = 0

    def below(self, n: int) -> int:
        self._counter += 1
        digest = hashlib.sha256(self._seed + self._counter.to_bytes(4, "big")).digest()
        return int.from_bytes(digest[:8], "big") % n

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + self.below(high - low + 1)

    def chance(self, percent: int) -> bool:
        return self.below(100) < percent

    def pick(self, options: Sequence[T]) -> T:
        return options[self.below(len(options))]

    def digits(self, count: int) -> str:
        return "".join(str(self.below(10)) for _ in range(count))


def _round_base(value: Decimal) -> Decimal:
    hundreds = (value / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(max(hundreds * 100, Decimal(3000)), Decimal(30000))


def _records_for(month: str, base: Decimal, types: Sequence[str], employer: str) -> list[Record]:
    out = []
    for itype in types:
        employer_rate, personal_rate = RATES[itype]
        out.append(
            Record(
                month=month,
                insurance_type=itype,
                base=base,
                employer_amount=(base * employer_rate).quantize(CENT, ROUND_HALF_UP),
                personal_amount=(base * personal_rate).quantize(CENT, ROUND_HALF_UP),
                employer_name=employer,
            )
        )
    return out


def generate_history(
    province: str, id_number: str, employers: Sequence[str], anchor: str, *, force: bool = False
) -> list[Record]:
    """Everything the province holds on the person (empty for ~30% unless `force`)."""
    draws = Draws("contributions", province, id_number.upper())
    if draws.below(100) >= 70 and not force:
        return []
    length = 12 + draws.below(109)  # 12..120 months
    offset = 0 if draws.below(10) < 4 else 1 + draws.below(36)
    end = month_index(anchor) - offset
    start = end - length + 1
    types = list(INSURANCE_TYPES[:3]) + (list(INSURANCE_TYPES[3:]) if draws.below(2) else [])
    names = list(employers) or [FALLBACK_EMPLOYER]
    employer = names[draws.below(len(names))]
    base = Decimal(3000 + 100 * draws.below(171))  # 3000..20000
    switch_at = start + 12 + draws.below(37)
    out: list[Record] = []
    for index in range(start, end + 1):
        if index == switch_at:  # a new job: another employer and base
            employer = names[draws.below(len(names))]
            base = _round_base(base * Decimal(100 + draws.below(41)) / 100)
            switch_at = index + 12 + draws.below(37)
        elif index % 12 == 0 and index != start:  # January: the yearly base adjustment
            base = _round_base(base * Decimal(100 + draws.below(9)) / 100)
        out.extend(_records_for(month_text(index), base, types, employer))
    return out


def select(
    records: Iterable[Record],
    from_month: str | None = None,
    to_month: str | None = None,
    insurance_types: Iterable[str] | None = None,
) -> list[Record]:
    wanted = set(insurance_types) if insurance_types else None
    return [
        r
        for r in records
        if (from_month is None or r.month >= from_month)
        and (to_month is None or r.month <= to_month)
        and (wanted is None or r.insurance_type in wanted)
    ]


def months_paid(records: Iterable[Record]) -> int:
    return len({r.month for r in records})


def pension_summary(records: Iterable[Record]) -> PensionSummary:
    pension = [r for r in records if r.insurance_type == "110"]
    return PensionSummary(
        months=len(pension),
        personal_account_balance=sum((r.personal_amount for r in pension), Decimal(0)),
        pooled_fund_transferred=sum(
            ((r.base * POOLED_TRANSFER_RATE).quantize(CENT, ROUND_HALF_UP) for r in pension),
            Decimal(0),
        ),
    )


class ContributionData:
    """The contribution records of the provinces, anchored at a month."""

    def __init__(self, anchor_month: str | None = None, clock: Callable[[], float] = time.time):
        self._anchor = anchor_month
        self._clock = clock

    def anchor(self) -> str:
        if self._anchor is not None:
            return self._anchor
        now = beijing(self._clock())
        return month_text(now.year * 12 + now.month - 2)  # the month before the current one

    def anchor_month(self) -> Month:
        anchor = self.anchor()
        return Month(int(anchor[:4]), int(anchor[4:]))

    def history(
        self, province: str, id_number: str, employers: Sequence[str], *, force: bool = False
    ) -> list[Record]:
        return generate_history(province, id_number, employers, self.anchor(), force=force)
