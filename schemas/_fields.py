"""Validated field types shared by every item's request and result models.

Each type is an ``Annotated`` alias: pydantic runs the validator and the JSON Schema carries
a pattern, a bilingual description and an example, so generated clients see the same rules.
Identifier checks use python-stdnum (check digits, birth dates, region codes) rather than
hand-written regular expressions.

In each ``Annotated``, ``Field(...)`` comes straight after the type and the validators after
it: constraints placed after a validator cannot go into pydantic-core's string schema, so
pydantic enforces them as Python functions and leaves them out of the JSON Schema (the
published document had lost seven identifiers' patterns). A test holds every catalogue model
to this.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from stdnum import luhn
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat
from stdnum.exceptions import ValidationError as StdnumError

from schemas._provinces import PROVINCES

# What ``ric.compact`` leaves as it is: its ``clean`` maps only other characters.
_COMPACT_ALREADY = re.compile(r"[0-9]{17}[0-9X]")


def _resident_id(value: str) -> str:
    """``ric.validate``'s checks (form, check digit, birth date, birth place), with the birth
    place looked up once per region and birth year: stdnum searches its GB/T 2260 database
    on every call (~25 of its ~33 µs), and every query and application carries a number.
    A number already in compact form skips ``ric.compact``, and its birth date is read once
    per date: stdnum's ``clean`` walks the number three times on each of its two calls, half
    of a query body's validation."""
    number = value if _COMPACT_ALREADY.fullmatch(value) else ric.compact(value)
    try:
        if len(number) != 18 or not (number[:-1].isascii() and number[:-1].isdigit()):
            raise InvalidFormat()
        if number[-1] != ric.calc_check_digit(number):
            raise InvalidChecksum()
        year = _birth_year(number[6:14])
        if year is None or not _birth_place_known(number[:6], year):
            raise InvalidComponent()
    except StdnumError as exc:
        # stdnum's messages are generic ("invalid checksum"); keep them, never echo the value.
        raise ValueError(f"not a valid resident ID number / 居民身份证号码无效: {exc}") from None
    return number


@functools.lru_cache(maxsize=8192)
def _birth_year(born: str) -> int | None:
    """The year of ``born`` (``YYYYMMDD``) as ``ric.get_birth_date`` reads it, or None where
    it is no date. The cache holds dates, never a person's number."""
    try:
        return ric.get_birth_date(f"000000{born}0000").year  # only the date is read
    except StdnumError:
        return None


@functools.lru_cache(maxsize=8192)
def _birth_place_known(region: str, year: int) -> bool:
    """Whether ``region`` (six digits) was a county in ``year``, as ``ric.get_birth_place``
    says. The cache holds region codes and years, never a person's number.

    stdnum raises ``KeyError`` for a code its database lists without a county (``110001``,
    a province's prefix and three digits): such a number was a 500 while it went through
    ``ric.validate``. No county, no birth place: the number is refused."""
    try:
        ric.get_birth_place(f"{region}{year:04d}0101000")  # only region and year are read
    except (StdnumError, KeyError):
        return False
    return True


def _credit_code(value: str) -> str:
    try:
        return str(uscc.validate(value))
    except StdnumError as exc:
        raise ValueError(
            f"not a valid unified social credit code / 统一社会信用代码无效: {exc}"
        ) from None


def _province(value: str) -> str:
    if value not in PROVINCES:
        raise ValueError("not a mainland provincial-level GB/T 2260 code / 不是省级行政区划代码")
    return value


_PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def _phone(value: str) -> str:
    compact = value.replace(" ", "")
    if not _PHONE.fullmatch(compact):
        raise ValueError("not a mainland mobile or landline number / 电话号码格式不正确")
    return compact


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


ResidentId = Annotated[
    str,
    Field(
        min_length=18,
        max_length=18,
        pattern=r"^\d{17}[\dX]$",
        description="Resident ID number (GB 11643), check digit verified / 公民身份号码",
        examples=["11010519491231002X"],
        json_schema_extra={"x-personal-data": "id_number"},
    ),
    BeforeValidator(_upper),
    AfterValidator(_resident_id),
]

CreditCode = Annotated[
    str,
    Field(
        min_length=18,
        max_length=18,
        pattern=r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
        description="Unified social credit code (GB 32100) / 统一社会信用代码",
        examples=["91110000600037341L"],
    ),
    BeforeValidator(_upper),
    AfterValidator(_credit_code),
]

ProvinceCode = Annotated[
    str,
    Field(
        pattern=r"^\d{2}0000$",
        description="Provincial-level division, GB/T 2260 code / 省级行政区划代码",
        examples=["440000"],
    ),
    AfterValidator(_province),
]

Phone = Annotated[
    str,
    Field(
        min_length=7,
        max_length=20,
        description="Mobile or landline phone number / 联系电话",
        examples=["13800138000"],
        json_schema_extra={"x-personal-data": "phone"},
    ),
    AfterValidator(_phone),
]

PersonName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=50,
        description="Full name as on the ID card / 姓名",
        examples=["张三"],
        json_schema_extra={"x-personal-data": "name"},
    ),
]

Address = Annotated[
    str,
    Field(
        min_length=2,
        max_length=200,
        description="Postal address / 地址",
        examples=["广东省广州市天河区体育西路1号"],
        json_schema_extra={"x-personal-data": "address"},
    ),
]

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
YearMonth = Annotated[
    str,
    Field(
        pattern=MONTH_PATTERN,
        description="Calendar month, YYYY-MM / 年月",
        examples=["2024-01"],
    ),
]


class _Money:
    """An amount in CNY: a ``Decimal`` ≥ 0 (> 0 for ``PositiveMoney``) with at most 12
    integer digits and 2 decimals.

    pydantic checks ``max_digits``/``decimal_places`` through Python calls (~1.2 µs a value;
    a year of contributions holds 180 amounts). The usual form, a plain string like
    ``"8000.00"``, is checked by a pattern in pydantic-core and converted by ``Decimal``
    itself (~0.3 µs); anything else (numbers, exponents) takes pydantic's full ``Decimal``
    path. Same accepted values, same JSON Schema; one clear error for both paths.
    """

    positive = False

    # The usual form. ``str(Decimal(text)) == text`` for every text matching it (no sign, no
    # exponent, no leading zero, at most 2 decimals), which ``text_schema`` relies on.
    TEXT = r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$"
    # The same texts whose value is above 0: a non-zero integer part, or a non-zero decimal.
    POSITIVE_TEXT = r"^([1-9][0-9]{0,11}(\.[0-9]{1,2})?|0\.(0[1-9]|[1-9][0-9]?))$"

    @classmethod
    def exact(cls) -> core_schema.DecimalSchema:
        zero = Decimal(0)
        if cls.positive:
            return core_schema.decimal_schema(gt=zero, max_digits=14, decimal_places=2)
        return core_schema.decimal_schema(ge=zero, max_digits=14, decimal_places=2)

    @classmethod
    def _union(
        cls,
        choices: list[core_schema.CoreSchema | tuple[core_schema.CoreSchema, str]],
        **extra: Any,
    ) -> core_schema.CoreSchema:
        least = "greater than 0" if cls.positive else "at least 0"
        return core_schema.union_schema(
            choices,
            mode="left_to_right",
            custom_error_type="money",
            custom_error_message=f"Input should be an amount in CNY, {least}, with at most 12 "
            'integer digits and 2 decimals, e.g. "8000.00" / 金额格式无效',
            **extra,
        )

    @classmethod
    def text_schema(cls) -> core_schema.CoreSchema:
        """The same accepted values and errors, validated into the text pydantic writes for
        them in JSON (``str`` of the ``Decimal``) instead of a ``Decimal``: the usual form
        stays as it came, in pydantic-core, without two Python calls per amount. Used by
        ``gateway.answer_json`` for province answers (a year of contributions: 180 amounts,
        ~55 of ~90 µs)."""
        text = core_schema.str_schema(pattern=cls.POSITIVE_TEXT if cls.positive else cls.TEXT)
        other = core_schema.no_info_after_validator_function(str, cls.exact())
        return cls._union([text, other])

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        steps: list[core_schema.CoreSchema] = [
            core_schema.str_schema(pattern=cls.TEXT),
            core_schema.no_info_plain_validator_function(Decimal),
        ]
        if cls.positive:
            steps.append(core_schema.decimal_schema(gt=Decimal(0)))
        return cls._union(
            [core_schema.chain_schema(steps), cls.exact()],
            serialization=core_schema.to_string_ser_schema(when_used="json"),
            metadata={"answer_text_schema": cls.text_schema()},
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(cls.exact())


class _PositiveMoney(_Money):
    positive = True


Money = Annotated[Decimal, _Money, Field(description="Amount in CNY / 金额（元）")]
PositiveMoney = Annotated[Decimal, _PositiveMoney, Field(description="Amount in CNY / 金额（元）")]


def _not_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise ValueError("date is in the future / 日期不能晚于今天")
    return value


PastDate = Annotated[
    dt.date,
    Field(description="A date not after today / 不晚于今天的日期", examples=["2024-03-01"]),
    AfterValidator(_not_future),
]


# --- appended: identifiers used by the wider catalogue ----------------------------------

CertificateNumber = Annotated[
    str,
    Field(
        min_length=4,
        max_length=64,
        description="Certificate, licence or document number as printed / 证书（证照）编号",
        examples=["20194400142000123"],
    ),
]

_PROVINCE_ABBR = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

PlateNumber = Annotated[
    str,
    Field(
        pattern=rf"^[{_PROVINCE_ABBR}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{{4,5}}[A-HJ-NP-Z0-9挂学]$",
        description="Motor vehicle plate number (GA 36) / 机动车号牌号码",
        examples=["粤A12345"],
    ),
    BeforeValidator(_upper),
]

_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def _vin(value: str) -> str:
    # GB 16735 makes the ninth character a check digit for vehicles sold in China.
    if len(value) != 17 or any(c not in _VIN_VALUES for c in value):
        raise ValueError("VIN is 17 letters and digits without I, O, Q / 车辆识别代号格式不正确")
    total = sum(_VIN_VALUES[c] * w for c, w in zip(value, _VIN_WEIGHTS, strict=True))
    expected = "X" if total % 11 == 10 else str(total % 11)
    if value[8] != expected:
        raise ValueError("VIN check digit is wrong / 车辆识别代号校验位错误")
    return value


Vin = Annotated[
    str,
    Field(
        pattern=r"^[A-HJ-NPR-Z0-9]{17}$",
        description="Vehicle identification number, check digit verified (GB 16735) / 车辆识别代号",
        examples=["LSVAU218XN2183294"],
    ),
    BeforeValidator(_upper),
    AfterValidator(_vin),
]


def _bank_card(value: str) -> str:
    try:
        return str(luhn.validate(value))
    except StdnumError:
        raise ValueError("not a valid bank card number / 银行卡号无效") from None


BankCard = Annotated[
    str,
    Field(
        pattern=r"^\d{12,19}$",
        description="Bank card number in the applicant's name, Luhn-checked / 本人银行卡号",
        examples=["6222020200112233446"],
        json_schema_extra={"x-personal-data": "bank_account"},
    ),
    AfterValidator(_bank_card),
]

CountryCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{2}$",
        description="Country or region, ISO 3166-1 alpha-2 / 国家或地区代码",
        examples=["DE"],
    ),
    BeforeValidator(_upper),
]

PostalCode = Annotated[
    str,
    Field(pattern=r"^\d{6}$", description="Postal code / 邮政编码", examples=["510620"]),
]
