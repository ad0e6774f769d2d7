"""The lookup framework: a request in the province's words, generators, and helpers.

A generator takes a `LookupRequest` (the conditions as received, read through the
province's vocabulary) and answers a meaning-keyed tree with typed values; the family
renders it (`sandbox.wire.render`). Everything is deterministic: drawn from SHA-256 of the
lookup, the province and the party, anchored on the data anchor month (`[data] anchor_month`,
by default the month before the current one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.clock import beijing
from sandbox.data import ContributionData, Draws, Month
from sandbox.parties import Party, PartyMissing, find_party

if TYPE_CHECKING:
    from sandbox.provinces import Province, Vocab
    from sandbox.wire import WireStyle


class FieldProblem(ValueError):
    """A condition is missing or malformed; `path` names it by meanings (outermost first)."""

    def __init__(self, path: tuple[str, ...], problem: str) -> None:
        super().__init__(f"{'.'.join(path)}: {problem}")
        self.path = path
        self.problem = problem

    def wire_path(self, vocab: Vocab, separator: str = ".") -> str:
        return separator.join(vocab.key(m) for m in self.path)


@dataclass(frozen=True)
class LookupRequest:
    name: str  # the lookup kind
    province: Province
    conditions: dict[str, Any]  # as received, in the province's words
    contributions: ContributionData
    now: float

    @property
    def vocab(self) -> Vocab:
        return self.province.vocab

    @property
    def style(self) -> WireStyle:
        return self.province.vocab.style

    @property
    def anchor(self) -> Month:
        """The last month the generated data covers."""
        return self.contributions.anchor_month()

    @property
    def today(self) -> dt.date:
        return beijing(self.now).date()

    # --- conditions ----------------------------------------------------------------------

    def get(self, *path: str) -> Any:
        value: Any = self.conditions
        for meaning in path:
            if not isinstance(value, dict):
                return None
            value = value.get(self.vocab.key(meaning))
        return None if value == "" else value

    def text(self, *path: str) -> str | None:
        value = self.get(*path)
        if value is None:
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise FieldProblem(path, "应为字符串")
        return str(value).strip() or None

    def person(self, meaning: str) -> Party:
        """The person named under `meaning`: name and resident ID number required."""
        obj = self.get(meaning)
        if not isinstance(obj, dict):
            raise FieldProblem((meaning,), "缺失或不是对象")
        name = self.text(meaning, "name")
        id_number = self.text(meaning, "id_number")
        if name is None:
            raise FieldProblem((meaning, "name"), "缺失")
        if id_number is None:
            raise FieldProblem((meaning, "id_number"), "缺失")
        return Party(name, id_number.upper())

    def party(self) -> Party:
        """Whoever the conditions identify (resident ID or credit code, at any depth)."""
        try:
            found = find_party(self.conditions, self.vocab)
        except PartyMissing as exc:
            raise FieldProblem(("id_number",), "缺失（须含证件号码或统一社会信用代码）") from exc
        return Party(found.name, found.identifier.upper(), found.organisation)

    def month(self, meaning: str, *, required: bool = False) -> Month | None:
        text = self.text(meaning)
        if text is None:
            if required:
                raise FieldProblem((meaning,), "缺失")
            return None
        parsed = self.style.parse_month(text)
        if parsed is None:
            raise FieldProblem((meaning,), f"应为{self.style.month_format}")
        return parsed

    def date(self, meaning: str, *, required: bool = False) -> dt.date | None:
        text = self.text(meaning)
        if text is None:
            if required:
                raise FieldProblem((meaning,), "缺失")
            return None
        parsed = self.style.parse_date(text)
        if parsed is None:
            raise FieldProblem((meaning,), f"应为{self.style.date_format}")
        return parsed

    def month_window(
        self, *, default_months: int = 12, required: bool = False, cap: int = 120
    ) -> tuple[Month, Month]:
        """(from, to) months, at most `cap` long and not after the anchor month.

        Without `from_month` the window is the last `default_months` up to `to_month` (or the
        anchor). It is empty (from > to) when it lies entirely after the anchor.
        """
        start = self.month("from_month", required=required)
        end = self.month("to_month", required=required)
        if start is not None and end is not None and start > end:
            raise FieldProblem(("from_month",), "晚于截止年月")
        end = min(end, self.anchor) if end is not None else self.anchor
        if start is None:
            start = end + (1 - default_months)
        return max(start, end + (1 - cap)), end

    def date_window(self, *, cap_days: int = 1100) -> tuple[dt.date, dt.date]:
        start = self.date("from_date", required=True)
        end = self.date("to_date", required=True)
        assert start is not None
        assert end is not None
        if start > end:
            raise FieldProblem(("from_date",), "晚于截止日期")
        end = min(end, self.today)
        return max(start, end - dt.timedelta(days=cap_days)), end

    # --- generation ----------------------------------------------------------------------

    def draws(self, *salt: str) -> Draws:
        """A deterministic stream for this lookup, province and party (and `salt`)."""
        return Draws(self.name, self.province.code, *salt)


Generator = Callable[[LookupRequest], dict[str, Any]]


@dataclass(frozen=True)
class Lookup:
    name: str
    answer: Generator


REGISTRY: dict[str, Lookup] = {}


def lookup(name: str) -> Callable[[Generator], Generator]:
    """Registers a generator for the lookup kind `name`."""

    def register(fn: Generator) -> Generator:
        if name in REGISTRY:
            raise ValueError(f"lookup {name} registered twice")
        REGISTRY[name] = Lookup(name, fn)
        return fn

    return register


# --- shared helpers ----------------------------------------------------------------------


def months(start: Month, end: Month) -> Iterator[Month]:
    for index in range(start.index, end.index + 1):
        yield Month.from_index(index)


def month_day(month: Month, day: int) -> dt.date:
    return dt.date(month.year, month.month, min(day, 28))


def amount(low: int, high: int, draws: Draws) -> Decimal:
    """A whole-yuan-plus-cents amount in [low, high]."""
    return Decimal(draws.between(low * 100, high * 100)) / 100


def masked_name(name: str) -> str:
    """李四 -> 李*: how provinces show a third party's name."""
    return name[:1] + "*" * max(1, len(name) - 1)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明")


def person_name(draws: Draws) -> str:
    return (
        draws.pick(SURNAMES) + draws.pick(GIVEN) + (draws.pick(GIVEN) if draws.chance(60) else "")
    )


def code(draws: Draws, length: int = 6) -> str:
    """A verification code: upper-case letters and digits without look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(draws.pick(alphabet) for _ in range(length))


def birth_date(id_number: str) -> dt.date | None:
    """The birth date in a resident ID number (GB 11643), if it reads as one."""
    try:
        return dt.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def issued_document(req: LookupRequest, prefix: str, party: Party) -> dict[str, Any]:
    """The common part of a certificate issued at once (文书编号, date, verification code)."""
    draws = req.draws("document", party.identifier, req.today.isoformat())
    number = f"{req.province.letters}{prefix}{req.today:%Y%m%d}{draws.digits(6)}"
    return {
        "document_number": number,
        "issued_on": req.today,
        "verification_code": code(draws),
        "download_url": f"https://sandbox.invalid/{req.province.code}/documents/{number}",
    }
