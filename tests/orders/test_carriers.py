"""The carrier registry: every launch carrier, valid numbers validate, links quote them, bad ones fail."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from guichet.core.errors import DomainError
from guichet.orders.carriers import (
    CARRIERS,
    carriers_for,
    check_tracking_number,
    get_carrier,
    normalise,
    s10_check_digit,
)

LAUNCH = {"ups", "fedex", "dhl_express", "bpost", "purolator", "canada_post", "fan_courier", "cargus", "sameday"}


def test_every_launch_carrier_is_there_and_serves_its_countries() -> None:
    assert set(CARRIERS) >= LAUNCH
    assert {c.code for c in carriers_for("BE")} >= {"bpost", "ups", "fedex", "dhl_express"}
    assert {c.code for c in carriers_for("CA")} >= {"purolator", "canada_post", "ups"}
    assert {c.code for c in carriers_for("RO")} >= {"fan_courier", "cargus", "sameday", "dhl_express"}
    assert carriers_for("RO")[0].code in ("cargus", "fan_courier", "sameday")  # local carriers first
    assert carriers_for("FR") == []


def test_unknown_carrier_is_a_domain_error_not_a_key_error() -> None:
    with pytest.raises(DomainError) as error:
        get_carrier("pigeon")
    assert error.value.code == "unknown_carrier"


@pytest.mark.parametrize("carrier", sorted(CARRIERS))
def test_examples_validate(carrier: str) -> None:
    for example in CARRIERS[carrier].examples:
        assert CARRIERS[carrier].validates(example), example


@pytest.mark.parametrize(
    ("carrier", "number", "valid"),
    [
        ("ups", "1Z999AA10123456784", True),
        ("ups", "1z 999 aa1 0123 4567 84", True),
        ("ups", "1Z999AA1012345678", False),  # one short
        ("ups", "2Z999AA10123456784", False),
        ("fedex", "1234567890123", False),  # 13 digits
        ("fedex", "12345678901234567890", True),
        ("dhl_express", "123456789", False),
        ("bpost", "CD123456785BE", True),
        ("bpost", "CD123456784BE", False),  # wrong S10 check digit
        ("bpost", "CD123456785FR", False),
        ("bpost", "32329990000000000042000", False),  # 23 digits
        ("canada_post", "RR123456785CA", True),
        ("canada_post", "1234567890123456", True),
        ("purolator", "12345678901", False),
        ("fan_courier", "2150123456789", True),
        ("fan_courier", "21501234", False),
        ("cargus", "123456789", False),
        ("sameday", "1ONBLN123456789", True),
        ("sameday", "ONB123", False),
        ("ups", "", False),
        ("ups", "1Z" + "9" * 100, False),
    ],
)
def test_formats_at_the_edges(carrier: str, number: str, valid: bool) -> None:
    assert CARRIERS[carrier].validates(number) is valid


def _s10(country: str) -> st.SearchStrategy[str]:
    def make(letters: str, serial: str) -> str:
        return f"{letters}{serial}{s10_check_digit(serial)}{country}"

    return st.builds(make, st.from_regex(r"[A-Z]{2}", fullmatch=True), st.from_regex(r"[0-9]{8}", fullmatch=True))


VALID = {
    "ups": st.from_regex(r"1Z[0-9A-Z]{16}", fullmatch=True),
    "fedex": st.from_regex(r"[0-9]{12}|[0-9]{15}|[0-9]{20}|[0-9]{22}", fullmatch=True),
    "dhl_express": st.from_regex(r"[0-9]{10}", fullmatch=True),
    "bpost": st.one_of(st.from_regex(r"[0-9]{24}", fullmatch=True), _s10("BE")),
    "purolator": st.from_regex(r"[0-9]{12}", fullmatch=True),
    "canada_post": st.one_of(st.from_regex(r"[0-9]{16}", fullmatch=True), _s10("CA")),
    "fan_courier": st.from_regex(r"[0-9]{13}", fullmatch=True),
    "cargus": st.from_regex(r"[0-9]{10,12}", fullmatch=True),
    "sameday": st.from_regex(r"1[A-Z]{2,6}[0-9]{6,14}", fullmatch=True),
}


@given(st.sampled_from(sorted(VALID)).flatmap(lambda code: st.tuples(st.just(code), VALID[code])))
def test_generated_valid_numbers_validate_and_their_link_quotes_them(case: tuple[str, str]) -> None:
    code, number = case
    carrier = CARRIERS[code]
    assert carrier.validates(number)
    assert carrier.validates(" ".join([number[:4], number[4:]]).lower())
    url = carrier.tracking_url(number)
    assert url.startswith("https://") and quote(number, safe="") in url
    assert check_tracking_number(carrier, number.lower()) == number


@given(st.sampled_from(sorted(CARRIERS)), st.text(max_size=60))
def test_any_text_gives_a_safe_link_and_a_clean_answer(code: str, text: str) -> None:
    carrier = CARRIERS[code]
    assert isinstance(carrier.validates(text), bool)
    url = carrier.tracking_url(text)
    tail = url.split(carrier.url_template.split("{number}")[0], 1)[1]
    assert not set(tail) & set(" \"'<>&#?/") or not normalise(text)


def test_s10_check_digit_examples() -> None:
    assert s10_check_digit("47312482") == 9  # weighted sum 200, 200 mod 11 = 2, 11 - 2 = 9
    assert s10_check_digit("00000000") == 5  # remainder 0 gives 11, written 5
    assert s10_check_digit("00000008") == 0  # weighted sum 56, remainder 1 gives 10, written 0
    assert s10_check_digit("12345678") == 5


@pytest.mark.parametrize(
    ("code", "language", "expected"),
    [
        (
            "canada_post",
            "fr",
            "https://www.canadapost-postescanada.ca/track-reperage/fr#/search?searchFor=1234567890123456",
        ),
        (
            "canada_post",
            "en",
            "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=1234567890123456",
        ),
        ("purolator", "fr", "https://www.purolator.com/fr/shipping/tracker?pin=1234567890123456"),
        # No language page the carrier documents: its one page, never an invented parameter.
        ("ups", "fr", "https://www.ups.com/track?tracknum=1234567890123456"),
        (
            "canada_post",
            "ro",
            "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=1234567890123456",
        ),
    ],
)
def test_a_tracking_link_opens_in_the_readers_language_where_the_carrier_has_it(
    code: str, language: str, expected: str
) -> None:
    assert CARRIERS[code].tracking_url("1234567890123456", language) == expected
    with translation.override(language):
        assert CARRIERS[code].tracking_url("1234567890123456") == expected
