"""The appended field types and shared blocks."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError
from stdnum.cn import ric, uscc

from schemas._common import BetweenProvinces, Delivery
from schemas._fields import BankCard, CountryCode, PlateNumber, Vin
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
