"""Every check across fields names the fields it concerns, so the 422 points at them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from gateway.catalogue import _first_example
from gateway.errors import field_errors
from schemas import (
    _counter,
    civil_affairs,
    housing_fund,
    housing_fund_services,
    market_regulation,
    market_regulation_changes,
    medical_insurance_remote,
    natural_resources,
    taxation,
)

Change = Callable[[dict[str, Any]], None]


def _set(**values: Any) -> Change:
    return lambda body: body.update(values)


def _drop(key: str, **values: Any) -> Change:
    def change(body: dict[str, Any]) -> None:
        body.pop(key, None)
        body.update(values)

    return change


def _same_person(body: dict[str, Any]) -> None:
    body["party_b"] = {**body["party_b"], "id_number": body["party_a"]["id_number"]}


def _investor(**values: Any) -> Change:
    def change(body: dict[str, Any]) -> None:
        investor = body["investors"][0]
        investor.update(values)
        for key in [k for k, v in values.items() if v is None]:
            investor.pop(key)

    return change


def _posted_without_address(body: dict[str, Any]) -> None:
    body["result_delivery"] = {"method": "post"}


CASES: list[tuple[type[BaseModel], Change, set[str]]] = [
    (civil_affairs.MarriageRegistration, _same_person, {"party_a.id_number", "party_b.id_number"}),
    (housing_fund.EarlyRepayment, _set(full=False), {"amount"}),
    (housing_fund.EarlyRepayment, _drop("bank_card"), {"bank_card"}),
    (housing_fund_services.ContributionChange, _set(employees=[]), {"employees"}),
    (housing_fund_services.ContributionChange, _set(kind="rate"), {"new_rate"}),
    (
        market_regulation.Establishment,
        _set(registered_capital="1.00"),
        {"registered_capital", "investors"},
    ),
    (
        market_regulation.Establishment,
        _investor(person=None),
        {"investors.0.person", "investors.0.entity_credit_code"},
    ),
    (
        market_regulation_changes.ChangeRegistration,
        lambda body: body["changes"].append(dict(body["changes"][0])),
        {"changes"},
    ),
    (market_regulation_changes.Deregistration, _set(no_debts_pledge=False), {"no_debts_pledge"}),
    (
        medical_insurance_remote.TreatmentFiling,
        _set(treatment_province="510000"),
        {"insured_province", "treatment_province"},
    ),
    (
        medical_insurance_remote.TreatmentFiling,
        _set(end_date="2024-05-01"),
        {"start_date", "end_date"},
    ),
    (medical_insurance_remote.TreatmentFiling, _set(category="referred"), {"referring_hospital"}),
    (
        natural_resources.MortgageRegistration,
        _set(term_end="2024-06-01"),
        {"term_start", "term_end"},
    ),
    (natural_resources.TransferRegistration, _drop("price"), {"price"}),
    (taxation.IncomeTaxRecordQuery, _set(from_month="2024-01"), {"from_month", "to_month"}),
    (
        taxation.CrossRegionReport,
        _set(operating_province="440000"),
        {"registration_province", "operating_province"},
    ),
    (taxation.CrossRegionReport, _set(ends_on="2024-05-01"), {"starts_on", "ends_on"}),
    (taxation.Migration, _set(invoices_cleared=False), {"invoices_cleared"}),
    (_counter.CounterReceipt, _posted_without_address, {"result_delivery.address"}),
]


@pytest.mark.parametrize(
    ("model", "change", "fields"),
    CASES,
    ids=[f"{model.__name__}-{'+'.join(sorted(fields))}" for model, _, fields in CASES],
)
def test_a_check_across_fields_names_its_fields(
    model: type[BaseModel], change: Change, fields: set[str]
) -> None:
    example = _first_example(model)
    assert example is not None, f"{model.__name__} has no example"
    model.model_validate(example)  # the premise: the example itself is valid
    body = copy.deepcopy(example)
    change(body)
    with pytest.raises(ValidationError) as caught:
        model.model_validate(body)
    named = {e["field"] for e in field_errors(caught.value.errors())}
    assert named == fields
