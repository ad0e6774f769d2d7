"""Sealing and masking of personal data."""

from __future__ import annotations

import copy
import os
from typing import Any

import orjson
import pytest
import structlog
from cryptography.exceptions import InvalidTag
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.rest_oauth.translate import error_for
from gateway import logs
from gateway.idempotency import fingerprint
from gateway.logs import RedactedJSON, exceptions_without_messages, redact
from gateway.privacy import Sealer, mask_id, mask_name, mask_phone, masked_person
from gateway.upstream import problem_for


def test_seal_round_trip_and_binding() -> None:
    sealer = Sealer(bytes.fromhex("00112233445566778899aabbccddeeff"), "k1")
    sealed = sealer.seal({"id_number": "11010519491231002X"}, bound_to="case-1")
    assert b"11010519491231002X" not in sealed
    assert sealer.open(sealed, bound_to="case-1") == {"id_number": "11010519491231002X"}
    with pytest.raises(InvalidTag):
        sealer.open(sealed, bound_to="case-2")
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(InvalidTag):
        sealer.open(tampered, bound_to="case-1")


def test_two_seals_of_one_document_differ() -> None:
    sealer = Sealer(bytes(16), "k1")
    assert sealer.seal({"a": 1}, bound_to="c") != sealer.seal({"a": 1}, bound_to="c")


def test_masks() -> None:
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_name("张三丰") == "张**"
    assert mask_phone("13800138000") == "138****8000"
    assert masked_person({"name": "张三", "id_number": "11010519491231002X", "x": 1}) == {
        "name": "张*",
        "id_number": "110105********002X",
    }


def test_log_redaction_masks_id_shaped_values() -> None:
    event = redact(None, "info", {"event": "x 11010519491231002X y", "n": 3})
    assert event["event"] == "x 110105********002X y"
    assert event["n"] == 3


def test_log_redaction_masks_mobile_numbers_at_any_depth() -> None:
    event = redact(None, "info", {"event": "x", "detail": {"notes": ["call 13812345678"]}})
    assert event["detail"] == {"notes": ["call 138****5678"]}


# Text around digit runs of every length near 11, ASCII and full-width digits, Chinese text,
# quotes and control characters (which JSON escapes): where masking does and does not apply.
_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "11010519491231002X",
                "１１０１０５１９４９１２３１００２X",
                "13812345678",
                "张三",
                '"',
                "\n",
            ]
        ),
        st.integers(min_value=0, max_value=10**13).map(str),
        st.text(alphabet="0123456789 -xX", max_size=14),
    ),
    max_size=5,
).map("".join)
_VALUES = st.recursive(
    st.one_of(_TEXT, st.integers(-(10**13), 10**13), st.none(), st.booleans()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(_TEXT, inner, max_size=3),
    ),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None)
@given(event=st.dictionaries(_TEXT, _VALUES, max_size=5), as_text=st.booleans())
def test_the_rendered_line_is_the_redacted_event_s(event: dict[str, Any], as_text: bool) -> None:
    # As ``logs.configure`` renders: orjson, to bytes or decoded to text.
    serializer: Any = logs._dumps if as_text else orjson.dumps
    expected = structlog.processors.JSONRenderer(serializer=serializer)(
        None, "info", redact(None, "info", copy.deepcopy(event))
    )
    assert RedactedJSON(serializer)(None, "info", copy.deepcopy(event)) == expected


def test_the_rendered_line_masks_what_redact_masks() -> None:
    line = RedactedJSON(orjson.dumps)(
        None, "info", {"event": "x", "detail": {"id": "11010519491231002X", "n": [13812345678]}}
    )
    assert b"110105********002X" in line
    assert b"13812345678" in line  # a number, as redact leaves it


def test_logged_exceptions_keep_where_but_not_what() -> None:
    # A message may quote what it failed on: a statement's parameters, a province's answer.
    try:
        try:
            raise ValueError("statement parameters: ('张三', '11010519491231002X')")
        except ValueError as inner:
            raise RuntimeError("round failed: 张三") from inner
    except RuntimeError as exc:
        event = exceptions_without_messages(None, "error", {"event": "x", "exc_info": exc})
    assert "exc_info" not in event
    text = event["exception"]
    assert text.startswith("builtins.RuntimeError\n")
    assert "caused by:\nbuiltins.ValueError" in text
    assert "test_logged_exceptions_keep_where_but_not_what" in text  # the frames
    assert "张三" not in text
    assert "1101" not in text


def test_a_province_s_own_words_reach_only_the_caller() -> None:
    error = error_for(
        "1001", "参数错误：证件号码11010519491231002X与姓名张三不符", province="310000"
    )
    assert "张三" not in error.message  # logs, health, stored notes use the message
    assert "张三" in problem_for(error, "social-insurance-contributions").detail


def test_the_idempotency_fingerprint_is_keyed() -> None:
    body = {"applicant": {"id_number": "11010519491231002X"}}
    one = fingerprint("key-one-0123456789abcdef0123456789", "x", body)
    assert one == fingerprint("key-one-0123456789abcdef0123456789", "x", body)
    assert one != fingerprint("key-two-0123456789abcdef0123456789", "x", body)


def test_a_retired_key_still_opens_what_it_sealed() -> None:
    old, new = os.urandom(16), os.urandom(16)
    sealed = Sealer(old, "k1").seal({"a": 1}, bound_to="case-1")
    rotated = Sealer(new, "k2", retired={"k1": old})
    assert rotated.open(sealed, bound_to="case-1") == {"a": 1}
    assert rotated.opened(sealed, bound_to="case-1") == ({"a": 1}, False)
    fresh = rotated.seal({"a": 1}, bound_to="case-1")
    assert rotated.opened(fresh, bound_to="case-1") == ({"a": 1}, True)
    with pytest.raises(InvalidTag):  # without the retired key
        Sealer(new, "k2").open(sealed, bound_to="case-1")
    with pytest.raises(InvalidTag):  # every key tried, the binding still holds
        rotated.open(sealed, bound_to="case-2")
