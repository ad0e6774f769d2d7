"""Canonical JSON ⇄ wire vocabularies."""

from __future__ import annotations

from adapters import pinyin
from adapters.vocabulary import CACHED_KEYS, Vocabulary


def vocab(**tables: dict[str, str]) -> Vocabulary:
    return Vocabulary.merged(
        pinyin.OUTBOUND,
        pinyin.INBOUND,
        outbound={"phone": "sjhm"},
        inbound={"sjhm": "phone"},
        default_tables=pinyin.CODE_TABLES,
        code_tables=tables,
    )


def test_outbound_renames_converts_dates_and_codes_and_drops_nulls() -> None:
    wire = vocab().to_wire(
        {
            "applicant": {"name": "张三", "id_number": "11010519491231002X", "phone": "138"},
            "from_month": "2024-01",
            "unemployment_date": "2024-03-01",
            "insurance_types": ["pension", "medical"],
            "remark": None,
            "new_field": 1,
        }
    )
    assert wire == {
        "sqr": {"xm": "张三", "sfzh": "11010519491231002X", "sjhm": "138"},
        "ksny": "202401",
        "unemployment_date": "20240301",
        "xzlx": ["110", "310"],
        "new_field": 1,
    }


def test_inbound_renames_and_reads_dates_by_key() -> None:
    canonical = vocab().from_wire(
        {
            "jl": [{"ny": "202401", "xzlx": "210", "jfjs": "8000.00"}],
            "bjrq": "20240301",
            "wsbh": "20240301",
            "sjhm": "139",
        }
    )
    assert canonical == {
        "records": [{"month": "2024-01", "insurance_type": "unemployment", "base": "8000.00"}],
        "decided_on": "2024-03-01",
        "decision_number": "20240301",
        "phone": "139",
    }


def test_province_code_tables_override_defaults() -> None:
    custom = vocab(insurance_type={"pension": "11"})
    assert custom.to_wire({"insurance_type": "pension"}) == {"xzlx": "11"}
    assert custom.from_wire({"xzlx": "11"}) == {"insurance_type": "pension"}


def test_upper_case_wire_round_trip() -> None:
    upper = Vocabulary.merged(
        {k: v.upper() for k, v in pinyin.OUTBOUND.items()},
        {k.upper(): v for k, v in pinyin.INBOUND.items()},
        outbound={},
        inbound={},
        default_tables={},
        code_tables={},
        wire_case=str.upper,
        canonical_case=str.lower,
    )
    assert upper.to_wire({"name": "李四", "reason": "x"}) == {"XM": "李四", "REASON": "x"}
    assert upper.from_wire({"XM": "李四", "REASON": "x"}) == {"name": "李四", "reason": "x"}


def test_inbound_reads_dates_by_the_catalogues_types_not_names() -> None:
    # Named neither *_date nor *_month: typed ``date`` / ``YearMonth`` in the catalogue.
    canonical = vocab().from_wire(
        {
            "valid_until": "20300520",
            "paid_up_to": "202410",
            "registered_unemployed_since": "20240115",  # a date, though named like a month
            "expected_graduation": "2027-06-30",  # already ISO: left as it is
            "status_since": "202401",  # outside the catalogue: by its name
            "reference": "20240115",  # not a date anywhere: untouched
        }
    )
    assert canonical == {
        "valid_until": "2030-05-20",
        "paid_up_to": "2024-10",
        "registered_unemployed_since": "2024-01-15",
        "expected_graduation": "2027-06-30",
        "status_since": "2024-01",
        "reference": "20240115",
    }


def test_spellings_rank_the_expected_wire_key_first() -> None:
    v = vocab()
    assert v.spellings("months_paid") == ("jfys", "months_paid")
    # Two inbound keys name it: the one to_wire writes first, then the other, then itself.
    assert v.spellings("phone") == ("sjhm", "lxdh", "phone")
    assert v.spellings("reason") == ("reason",)  # no inbound key: itself
    assert v.spellings("records") == ("jl", "records")
    assert Vocabulary({}, {"x": "a"}).spellings("x") == ()  # "x" reads as "a"


def test_a_key_spelt_twice_keeps_the_first_ranked_spelling_wherever_it_stands() -> None:
    v = vocab()
    for answer in (
        {"jfys": 12, "months_paid": 7, "ny": "202401"},
        {"months_paid": 7, "ny": "202401", "jfys": 12},
    ):
        assert v.from_wire(answer) == {"months_paid": 12, "month": "2024-01"}
    nested = {"jl": [{"ny": "202401", "month": "209912"}, {"month": "209912", "ny": "202402"}]}
    assert v.from_wire(nested) == {"records": [{"month": "2024-01"}, {"month": "2024-02"}]}


def test_of_spellings_it_cannot_rank_the_last_wins() -> None:
    upper = Vocabulary({}, {}, wire_case=str.upper, canonical_case=str.lower)
    assert upper.spellings("reason") == ("REASON",)
    assert upper.from_wire({"Reason": "a", "reason": "b"}) == {"reason": "b"}
    assert upper.from_wire({"Reason": "a", "REASON": "b", "reAson": "c"}) == {"reason": "b"}


def test_answers_with_ever_new_keys_do_not_grow_the_caches() -> None:
    v = vocab()
    for n in range(CACHED_KEYS + 500):
        assert v.from_wire({f"k{n}": "202401", "ny": "202401"}) == {
            f"k{n}": "202401",
            "month": "2024-01",
        }
    assert len(v._decoders) <= CACHED_KEYS
    assert len(v._converters) <= CACHED_KEYS
    for n in range(CACHED_KEYS + 500):  # a key spelt twice: every key's spellings ranked
        assert v.from_wire({"jfys": 1, "months_paid": 2, f"y{n}": 3})["months_paid"] == 1
    assert len(v._spellings) <= CACHED_KEYS
