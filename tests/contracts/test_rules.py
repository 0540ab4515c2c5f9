"""The termination rules of domain.md at their edges: the day before, of and after; month ends; leap years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.contracts import rules

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
offsets = st.integers(min_value=-400, max_value=400)


@given(since=days)
def test_customer_may_end_from_six_months_on_and_not_a_day_earlier(since: date) -> None:
    first = since + rules.CUSTOMER_MIN_COVERAGE
    before = rules.customer_hardware_eligibility(since, first - timedelta(days=1))
    on = rules.customer_hardware_eligibility(since, first)
    after = rules.customer_hardware_eligibility(since, first + timedelta(days=1))
    assert (before.eligible, on.eligible, after.eligible) == (False, True, True)
    assert before.reason == rules.NOT_YET_ELIGIBLE and on.reason == "" == after.reason
    assert before.first_eligible == on.first_eligible == first
    # Refused: the answer says when it becomes possible and the effective date notice then would give.
    assert before.earliest_effective == first + rules.CUSTOMER_NOTICE
    assert on.earliest_effective == first + rules.CUSTOMER_NOTICE


@given(since=days, offset=st.integers(min_value=0, max_value=2000))
def test_customer_notice_is_one_calendar_month(since: date, offset: int) -> None:
    notice = since + rules.CUSTOMER_MIN_COVERAGE + timedelta(days=offset)
    decision = rules.customer_hardware_eligibility(since, notice)
    assert decision.eligible
    effective = decision.earliest_effective
    assert 28 <= (effective - notice).days <= 31
    assert effective.day == notice.day or (effective.day < notice.day and (effective + timedelta(days=1)).day == 1)
    assert rules.effective_date_problem(effective - timedelta(days=1), effective) == rules.TOO_EARLY
    assert rules.effective_date_problem(effective, effective) == ""
    assert rules.effective_date_problem(effective + timedelta(days=1), effective) == ""


@given(since=days)
def test_vendor_needs_a_year_under_contract_and_three_months_notice(since: date) -> None:
    first = since + rules.VENDOR_MIN_COVERAGE
    assert not rules.vendor_hardware_eligibility(since, first - timedelta(days=1)).eligible
    on = rules.vendor_hardware_eligibility(since, first)
    assert on.eligible and on.earliest_effective == first + rules.VENDOR_NOTICE
    assert rules.vendor_hardware_eligibility(since, first + timedelta(days=1)).eligible
    assert 89 <= (on.earliest_effective - first).days <= 92


@given(notice=days)
def test_monthly_licence_ends_thirty_days_after_notice(notice: date) -> None:
    end = rules.monthly_licence_earliest_end(notice)
    assert (end - notice).days == 30
    assert rules.effective_date_problem(end - timedelta(days=1), end) == rules.TOO_EARLY
    assert rules.effective_date_problem(end, end) == rules.effective_date_problem(end + timedelta(days=1), end) == ""


def test_month_ends_are_clamped_to_the_shorter_month() -> None:
    # A notice on 31 January takes effect on the last day of February, leap year or not.
    assert rules.customer_hardware_eligibility(date(2020, 1, 1), date(2025, 1, 31)).earliest_effective == date(
        2025, 2, 28
    )
    assert rules.customer_hardware_eligibility(date(2020, 1, 1), date(2024, 1, 31)).earliest_effective == date(
        2024, 2, 29
    )
    # Under contract since 31 August: six months are reached on the last day of February.
    assert rules.customer_hardware_eligibility(date(2025, 8, 31), date(2026, 2, 27)).first_eligible == date(2026, 2, 28)
    assert not rules.customer_hardware_eligibility(date(2025, 8, 31), date(2026, 2, 27)).eligible
    assert rules.customer_hardware_eligibility(date(2025, 8, 31), date(2026, 2, 28)).eligible
    assert rules.customer_hardware_eligibility(date(2023, 8, 31), date(2024, 2, 29)).eligible
    assert not rules.customer_hardware_eligibility(date(2023, 8, 31), date(2024, 2, 28)).eligible
    # 29 February + 1 year is 28 February; three months' notice from 30 November ends on 28/29 February.
    assert rules.vendor_hardware_eligibility(date(2024, 2, 29), date(2025, 2, 28)).eligible
    assert not rules.vendor_hardware_eligibility(date(2024, 2, 29), date(2025, 2, 27)).eligible
    assert rules.vendor_hardware_eligibility(date(2020, 1, 1), date(2023, 11, 30)).earliest_effective == date(
        2024, 2, 29
    )
    # Thirty days is thirty days, across February in a leap year.
    assert rules.monthly_licence_earliest_end(date(2024, 2, 1)) == date(2024, 3, 2)
    assert rules.monthly_licence_earliest_end(date(2025, 2, 1)) == date(2025, 3, 3)


@given(renewal=days, offset=offsets)
def test_renewal_window_is_ninety_days_inclusive(renewal: date, offset: int) -> None:
    today = renewal - timedelta(days=offset)
    assert rules.renewal_due(renewal, today) == (0 <= offset <= 90)
    assert not rules.renewal_due(None, today)


bodies = st.text(alphabet=rules.SERVICEPAC_ALPHABET, min_size=8, max_size=8)


@given(body=bodies)
def test_servicepac_codes_round_trip_and_forgive_case_and_spacing(body: str) -> None:
    code = rules.servicepac_code(body)
    assert rules.normalise_servicepac_code(code) == code
    assert rules.normalise_servicepac_code(" " + code.lower().replace("-", " ") + " ") == code


@given(
    body=bodies, position=st.integers(min_value=0, max_value=8), replacement=st.sampled_from(rules.SERVICEPAC_ALPHABET)
)
def test_one_mistyped_character_is_caught(body: str, position: int, replacement: str) -> None:
    code = rules.servicepac_code(body)
    compact = code.replace("-", "")
    index = 2 + position
    if compact[index] == replacement:
        return
    typo = compact[:index] + replacement + compact[index + 1 :]
    assert rules.normalise_servicepac_code(typo) is None


@given(body=bodies, position=st.integers(min_value=0, max_value=7))
def test_two_swapped_neighbours_are_caught(body: str, position: int) -> None:
    compact = rules.servicepac_code(body).replace("-", "")
    index = 2 + position
    a, b = compact[index], compact[index + 1]
    if a == b:
        return
    swapped = compact[:index] + b + a + compact[index + 2 :]
    # Luhn mod N misses only the swap of the two characters whose values sum to N - 1 … and equal pairs.
    values = {rules.SERVICEPAC_ALPHABET.index(a), rules.SERVICEPAC_ALPHABET.index(b)}
    if sum(values) == len(rules.SERVICEPAC_ALPHABET) - 1:
        return
    assert rules.normalise_servicepac_code(swapped) is None


def test_malformed_codes() -> None:
    for raw in ("", "SP", "XX-ABCD-EFGH-K", "SP-ABCD-EFGH", "SP-ABCD-EFGH-KK", "SP-AB0D-EFGH-K", "SP-ABCD-EFGI-K"):
        assert rules.normalise_servicepac_code(raw) is None, raw


@given(notice=days, ahead=st.integers(min_value=-400, max_value=800))
def test_a_running_term_fixes_the_end_and_otherwise_one_months_notice(notice: date, ahead: int) -> None:
    term = notice + timedelta(days=ahead)
    effective, fixed = rules.end_of_term_effective(term, notice)
    if ahead >= 1:  # the term ends after the notice day, even the very next day: it ends with it
        assert (effective, fixed) == (term, True)
    else:  # the term ended on or before the notice day (or there is none): one month's notice
        assert (effective, fixed) == (notice + rules.OPEN_ENDED_NOTICE, False)
    assert rules.end_of_term_effective(None, notice) == (notice + rules.OPEN_ENDED_NOTICE, False)


def test_the_term_ends_at_the_renewal_date_when_there_is_one() -> None:
    assert rules.term_end(date(2027, 3, 31), date(2027, 1, 31)) == date(2027, 1, 31)
    assert rules.term_end(date(2027, 3, 31), None) == date(2027, 3, 31)
    assert rules.term_end(None, None) is None
    # Notice on the last day of a term is too late for it: one month, clamped at February's end in a leap year.
    assert rules.end_of_term_effective(date(2028, 1, 31), date(2028, 1, 31)) == (date(2028, 2, 29), False)
    assert rules.end_of_term_effective(date(2028, 1, 31), date(2028, 1, 30)) == (date(2028, 1, 31), True)


@pytest.mark.parametrize(
    ("kind", "route"),
    [
        ("hardware_maintenance", rules.PER_MACHINE),
        ("monthly_licence", rules.MONTHLY_LICENCE),
        ("software_subscription", rules.AT_TERM),
        ("program_agreement", rules.AT_TERM),
        ("prepaid_licence", rules.NOTHING_TO_FILE),
        ("servicepac", rules.NOTHING_TO_FILE),
    ],
)
def test_every_kind_of_contract_has_one_way_to_end_online(kind: str, route: str) -> None:
    assert rules.termination_route(kind) == route


def test_the_vendor_gives_notice_only_on_active_maintenance_of_covered_machines() -> None:
    assert rules.vendor_may_terminate("hardware_maintenance", active=True, covers_machines=True)
    assert not rules.vendor_may_terminate("hardware_maintenance", active=False, covers_machines=True)
    assert not rules.vendor_may_terminate("hardware_maintenance", active=True, covers_machines=False)
    assert not rules.vendor_may_terminate("monthly_licence", active=True, covers_machines=True)
