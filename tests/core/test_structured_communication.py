"""The Belgian structured communication, written once (core/structured_communication.py) for invoices
and Buy Tech payments."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guichet.core.structured_communication import is_valid, structured_communication, structured_communication_for


def test_an_invoice_number_gives_its_digits_and_their_mod_97() -> None:
    value = structured_communication_for("BE-INV-2026-0312")
    assert value == "+++002/0260/31219+++"
    assert is_valid(value)
    assert not is_valid("+++002/0260/31218+++")


def test_a_remainder_of_zero_is_written_97() -> None:
    assert structured_communication(97) == "+++000/0000/09797+++"


@given(st.integers(min_value=0, max_value=10**12))
def test_every_base_gives_a_valid_communication_of_twenty_characters(base: int) -> None:
    text = structured_communication(base)
    assert text.startswith("+++") and text.endswith("+++") and len(text) == 20
    assert is_valid(text)


@given(st.text(alphabet="0123456789-ABC", max_size=20))
def test_every_document_number_gives_a_valid_one(number: str) -> None:
    assert is_valid(structured_communication_for(number))


@given(st.text(max_size=30))
def test_anything_else_is_not_valid_unless_its_check_holds(text: str) -> None:
    digits = "".join(ch for ch in text if ch in "0123456789")
    assert is_valid(text) == (len(digits) == 12 and (int(digits[:10]) % 97 or 97) == int(digits[10:]))
