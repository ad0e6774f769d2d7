"""The appended field types and shared blocks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from stdnum.cn import ric, uscc

from schemas import all_items
from schemas._common import BetweenProvinces, Delivery
from schemas._fields import (
    BankCard,
    CountryCode,
    CreditCode,
    PlateNumber,
    ProvinceCode,
    ResidentId,
    Vin,
)
from schemas._items import EX_APPLICANT, EX_APPLICANT_2, EX_APPLICANT_3, EX_ENTERPRISE


def test_sample_identifiers_are_valid() -> None:
    for applicant in (EX_APPLICANT, EX_APPLICANT_2, EX_APPLICANT_3):
        assert ric.is_valid(str(applicant["id_number"]))
    assert uscc.is_valid(str(EX_ENTERPRISE["credit_code"]))


@pytest.mark.parametrize("value", ["LSVAU218XN2183294", "lsvau218xn2183294"])
def test_vin_accepts_a_correct_check_digit(value: str) -> None:
    assert TypeAdapter(Vin).validate_python(value) == value.upper()


@pytest.mark.parametrize("value", ["LSVAU2180N2183294", "LSVAU218XN218329", "LSVAU218XN218329O"])
def test_vin_rejects_bad_check_digit_length_and_letters(value: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Vin).validate_python(value)


def test_bank_card_is_luhn_checked() -> None:
    assert TypeAdapter(BankCard).validate_python("6222020200112233446")
    with pytest.raises(ValidationError, match="bank card"):
        TypeAdapter(BankCard).validate_python("6222020200112233445")


@pytest.mark.parametrize("value", ["粤A12345", "京AD12345", "川A1234学"])
def test_plate_numbers(value: str) -> None:
    assert TypeAdapter(PlateNumber).validate_python(value) == value


@pytest.mark.parametrize("value", ["A12345", "粤I12345", "粤A1234"])
def test_bad_plate_numbers(value: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(PlateNumber).validate_python(value)


def test_country_code_is_upper_cased() -> None:
    assert TypeAdapter(CountryCode).validate_python("de") == "DE"


def test_post_delivery_needs_an_address() -> None:
    assert Delivery().method == "online"
    with pytest.raises(ValidationError, match="address"):
        Delivery.model_validate({"method": "post"})


def test_a_move_within_one_province_is_refused() -> None:
    with pytest.raises(ValidationError, match="inter-provincial"):
        BetweenProvinces(origin_province="440000", destination_province="440000")
    moved = BetweenProvinces(origin_province="510000", destination_province="440000")
    assert moved.destination_province == "440000"


def _number(region: str, born: str, serial: str = "123") -> str:
    body = f"{region}{born}{serial}"
    return body + ric.calc_check_digit(body + "0")


def _stdnum_accepts(number: str) -> bool:
    try:
        return ric.is_valid(number)
    except KeyError:  # stdnum's own defect for codes without a county (see _birth_place_known)
        return False


def test_resident_ids_are_judged_as_stdnum_judges_them() -> None:
    # The birth place is looked up once per region and year (a cache): every verdict must
    # still be stdnum's, including regions valid only in some years and impossible dates.
    regions = [f"{code:06d}" for code in (*range(110000, 110120), *range(320000, 320130))]
    regions += ["440106", "500101", "990000", "000000"]
    births = ["19500101", "19850615", "20050228", "20240229", "20230229", "19851301"]
    checked = accepted = 0
    for region in regions:
        for born in births:
            number = _number(region, born)
            for candidate in (number, number[:-1] + ("0" if number[-1] != "0" else "1")):
                expected = _stdnum_accepts(candidate)
                try:
                    TypeAdapter(ResidentId).validate_python(candidate)
                    got = True
                except ValidationError:
                    got = False
                assert got == expected, candidate
                checked += 1
                accepted += got
    assert accepted > 100  # the sample holds valid numbers, not only refusals
    assert checked - accepted > 100


def test_a_region_without_a_county_is_refused_not_a_crash() -> None:
    with pytest.raises(ValidationError, match="居民身份证号码无效"):
        TypeAdapter(ResidentId).validate_python(_number("110001", "19850101"))


def test_a_number_in_full_width_digits_is_read_as_stdnum_reads_it() -> None:
    # What a Chinese input method types: stdnum's ``compact`` maps the digits to ASCII.
    number = _number("110105", "19491231")
    full_width = "".join(chr(ord(c) - 0x30 + 0xFF10) if c.isdigit() else c for c in number)
    assert TypeAdapter(ResidentId).validate_python(full_width) == number


@pytest.mark.parametrize("digit", ["١", "²"])
def test_resident_ids_take_ascii_digits_only(digit: str) -> None:
    number = _number("110105", "19491231")
    with pytest.raises(ValidationError):
        TypeAdapter(ResidentId).validate_python(digit + number[1:])


# A constraint declared after a validator in ``Annotated[...]`` cannot go into pydantic-core's
# own string schema: pydantic applies it as a Python function instead, and drops it from the
# JSON Schema, so the published document lost each identifier's pattern (ResidentId,
# CreditCode, ProvinceCode, PlateNumber, Vin, BankCard, CountryCode) while the code enforced it.
_PYTHON_CONSTRAINT = re.compile(
    r"functools\.partial\(<function \w+_validator|_apply_constraint_with_incompatibility_info"
)


def test_no_constraint_of_a_catalogue_model_falls_back_to_python() -> None:
    fallen = [
        model.__name__
        for item in all_items()
        for model in (item.request_model, item.result_model)
        if _PYTHON_CONSTRAINT.search(repr(model.__pydantic_core_schema__))
    ]
    assert fallen == []


@pytest.mark.parametrize(
    ("field", "pattern"),
    [
        (ResidentId, r"^\d{17}[\dX]$"),
        (CreditCode, r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"),
        (ProvinceCode, r"^\d{2}0000$"),
        (Vin, r"^[A-HJ-NPR-Z0-9]{17}$"),
        (BankCard, r"^\d{12,19}$"),
        (CountryCode, r"^[A-Z]{2}$"),
    ],
)
def test_identifier_patterns_are_published(field: Any, pattern: str) -> None:
    schema = TypeAdapter(field).json_schema()
    assert schema["pattern"] == pattern
    assert not _PYTHON_CONSTRAINT.search(repr(TypeAdapter(field).core_schema))
