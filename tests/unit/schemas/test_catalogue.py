"""The catalogue as a whole: counts, codes, roles, modes and facts from public sources."""

from __future__ import annotations

import importlib
from collections import Counter
from pathlib import Path
from typing import get_args

import pytest
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from schemas import DEPARTMENT_MODULES, all_items
from schemas._common import CaseDecision, Strict
from schemas._fields import ProvinceCode
from schemas._model import Kind, Mode, ServiceItem, Subject

SCHEMAS_DIR = Path(__file__).resolve().parents[3] / "schemas"
_PROVINCE_VALIDATOR = next(a for a in get_args(ProvinceCode) if isinstance(a, AfterValidator))
ITEMS = all_items()


def item_id(item: ServiceItem) -> str:
    return item.code


def test_132_items_58_in_2020_and_74_in_2021() -> None:
    assert len(ITEMS) == 132
    assert Counter(item.batch for item in ITEMS) == {2020: 58, 2021: 74}


def test_codes_and_operation_ids_are_unique() -> None:
    codes = [item.code for item in ITEMS]
    operation_ids = [item.operation_id for item in ITEMS]
    assert len(set(codes)) == len(codes)
    assert len(set(operation_ids)) == len(operation_ids)
    assert all(len(code) <= 48 for code in codes)


@pytest.mark.parametrize("module_name", DEPARTMENT_MODULES)
def test_module_is_small_and_about_one_department(module_name: str) -> None:
    text = (SCHEMAS_DIR / f"{module_name}.py").read_text(encoding="utf-8")
    # Code lines, as ruff format lays them out (blank and comment lines do not count).
    code = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert len(code) <= 400, f"{module_name}.py has {len(code)} lines of code"
    module = importlib.import_module(f"schemas.{module_name}")
    items: tuple[ServiceItem, ...] = module.ITEMS
    assert items, f"{module_name} exports no items"
    assert len({item.department for item in items}) == 1


def _field(model: type[BaseModel], path: str) -> FieldInfo:
    *heads, last = path.split(".")
    for head in heads:
        annotation = model.model_fields[head].annotation
        assert isinstance(annotation, type)
        assert issubclass(annotation, BaseModel)
        model = annotation
    return model.model_fields[last]


@pytest.mark.parametrize("item", ITEMS, ids=item_id)
def test_roles_name_required_province_fields(item: ServiceItem) -> None:
    for role in item.roles:
        info = _field(item.request_model, role.field)
        assert info.is_required(), f"{item.code}: role field {role.field} is optional"
        if role.many:
            assert info.annotation is not None
            assert get_args(info.annotation) == (ProvinceCode,), role.field
        else:
            assert _PROVINCE_VALIDATOR in info.metadata, f"{role.field} is not a ProvinceCode"
        assert role.description_zh
        assert role.description_en


@pytest.mark.parametrize("item", ITEMS, ids=item_id)
def test_item_is_complete_and_consistent(item: ServiceItem) -> None:
    assert item.name_zh
    assert item.name_en
    assert item.summary_zh
    assert item.summary_en
    assert item.source
    assert issubclass(item.request_model, Strict)
    assert item.fee.gateway_fee == 0
    if item.fee.charged_by_province:
        assert item.fee.basis_zh != "不收费"
        assert item.fee.basis_en != "Free of charge"
    if item.kind is Kind.query:
        assert Mode.joint not in item.modes
        assert not issubclass(item.result_model, CaseDecision)
        assert "即时办结" in item.time_limits.note
        assert not item.cancellable
    else:
        assert issubclass(item.result_model, CaseDecision)
        assert item.materials, f"{item.code}: an application lists its materials"


@pytest.mark.parametrize("item", [i for i in ITEMS if Mode.joint in i.modes], ids=item_id)
def test_joint_items_have_one_pivot_and_ordered_legs(item: ServiceItem) -> None:
    pivots = [role for role in item.roles if role.pivot]
    assert len(pivots) == 1, f"{item.code}: joint handling needs exactly one pivot role"
    assert len({role.field for role in item.roles}) >= 2
    assert len({role.order for role in item.roles}) >= 2, "legs need an order"


def test_only_joint_items_have_a_pivot() -> None:
    for item in ITEMS:
        if Mode.joint not in item.modes:
            assert not any(role.pivot for role in item.roles), item.code


def _by_code(code: str) -> ServiceItem:
    found = {item.code: item for item in ITEMS}
    return found[code]


@pytest.mark.parametrize(
    ("code", "days", "subject"),
    [
        ("electricity-connection-residential", 5, Subject.individual),
        ("electricity-connection-small-enterprise", 25, Subject.enterprise),
        ("electricity-connection-non-residential", 15, Subject.enterprise),
    ],
)
def test_electricity_time_limits_follow_the_state_council(
    code: str, days: int, subject: Subject
) -> None:
    item = _by_code(code)
    assert item.time_limits.statutory_days == days
    assert item.time_limits.promised_days == days
    assert item.subject is subject
    assert not item.fee.charged_by_province


@pytest.mark.parametrize(
    ("code", "modes"),
    [
        ("housing-fund-records", {Mode.online}),
        ("housing-fund-retirement-withdrawal", {Mode.online}),
        ("housing-fund-employer-account-opening", {Mode.online}),
        ("housing-fund-contribution-change", {Mode.online}),
        ("housing-fund-loan-early-repayment", {Mode.online}),
        ("housing-fund-borrower-certificate", {Mode.counter}),
        ("housing-fund-loan-cleared-certificate", {Mode.counter}),
        ("housing-fund-purchase-withdrawal", {Mode.joint}),
    ],
)
def test_housing_fund_modes(code: str, modes: set[Mode]) -> None:
    item = _by_code(code)
    assert set(item.modes) == modes
    assert item.department.value == "housing-fund"


def test_housing_fund_has_its_eight_items() -> None:
    assert sum(item.department.value == "housing-fund" for item in ITEMS) == 8


@pytest.mark.parametrize(
    "code",
    [
        "hukou-move-job-transfer",
        "hukou-move-college-admission",
        "hukou-move-graduation",
        "hukou-move-spouse",
        "hukou-move-parents",
    ],
)
def test_hukou_moves_are_joint_between_origin_and_destination(code: str) -> None:
    item = _by_code(code)
    assert Mode.joint in item.modes
    assert {role.name for role in item.roles} == {"origin", "destination"}
    assert item.batch == 2021


@pytest.mark.parametrize(
    ("code", "batch"),
    [
        ("unemployment-registration", 2020),
        ("pension-transfer-employee", 2020),
        ("pension-transfer-resident", 2020),
        ("professional-qualification-verification", 2020),
        ("notarization-diploma", 2020),
        ("notarization-driving-licence", 2020),
        ("housing-fund-retirement-withdrawal", 2020),
        ("pollutant-discharge-permit", 2020),
        ("enterprise-establishment", 2020),
        ("branch-establishment", 2020),
        ("industrial-product-production-licence", 2021),
        ("out-of-province-treatment-filing", 2021),
        ("social-security-card-application", 2021),
        ("social-security-card-activation", 2021),
        ("social-security-card-replacement", 2021),
        ("social-security-card-loss-report", 2021),
        ("hukou-certificate", 2021),
        ("used-car-transfer-registration", 2021),
        ("real-estate-mortgage-registration", 2021),
        ("housing-fund-purchase-withdrawal", 2021),
        ("newborn-hukou-registration", 2021),
        ("social-insurance-contributions", 2021),
    ],
)
def test_announced_items_sit_in_their_batch(code: str, batch: int) -> None:
    item = _by_code(code)
    assert item.batch == batch
    assert item.source != "department standard item"


def test_no_invented_document_numbers() -> None:
    allowed = ("国办发〔2020〕35号",)
    for item in ITEMS:
        if "〔" in item.source:
            assert any(number in item.source for number in allowed), item.source


@pytest.mark.parametrize("item", ITEMS, ids=item_id)
def test_role_shapes_match_the_kind_of_item(item: ServiceItem) -> None:
    """The gateway opens one leg per role: a non-joint application must name one province."""
    names = [role.name for role in item.roles]
    if item.kind is Kind.query:
        assert names == ["target"], item.code
    elif Mode.joint in item.modes:
        assert len(names) >= 2
        assert {"origin", "destination"} & set(names)
    else:
        assert names == ["competent"], item.code
