"""Buy Tech windows at their edges, on the Belgian business calendar."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from guichet.buytech import rules
from guichet.core.calendar import WORKING_WEEKDAYS, BusinessCalendar

# The Belgian centre's calendar without the database (the rules take the function, not the model).
BE = BusinessCalendar(country="BE", tz=ZoneInfo("Europe/Brussels"), opens=time(8), closes=time(18))
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


# --- 2 Belgian business days ---------------------------------------------------------------------


def test_confirmation_over_a_weekend() -> None:
    # Thursday 5 March 2026 -> Friday, (weekend), Monday 9 March.
    assert rules.confirmation_due(date(2026, 3, 5), BE.add_business_days) == date(2026, 3, 9)


def test_confirmation_across_a_public_holiday_and_a_weekend() -> None:
    # Friday 3 April 2026; Easter Monday 6 April is a Belgian public holiday.
    assert BE.is_holiday(date(2026, 4, 6))
    assert rules.confirmation_due(date(2026, 4, 3), BE.add_business_days) == date(2026, 4, 8)
    # Reserved on Thursday 30 April: Friday 1 May (Labour Day) and the weekend are skipped.
    assert rules.confirmation_due(date(2026, 4, 30), BE.add_business_days) == date(2026, 5, 5)


def test_confirmation_around_christmas() -> None:
    # Wednesday 24 December 2025: Christmas (Thu) is a holiday -> Fri 26, Mon 29.
    assert rules.confirmation_due(date(2025, 12, 24), BE.add_business_days) == date(2025, 12, 29)


@given(days)
def test_confirmation_is_two_business_days_later(reserved: date) -> None:
    due = rules.confirmation_due(reserved, BE.add_business_days)
    assert BE.is_business_day(due)
    between = [reserved + timedelta(days=n) for n in range(1, (due - reserved).days + 1)]
    assert sum(BE.is_business_day(day) for day in between) == 2
    assert due.weekday() in WORKING_WEEKDAYS


@given(days)
def test_confirmation_state_at_the_edges(due: date) -> None:
    assert rules.confirmation_state(due - timedelta(days=1), due) == "ok"
    assert rules.confirmation_state(due, due) == "at_risk"
    assert rules.confirmation_state(due + timedelta(days=1), due) == "late"


# --- windows after delivery ---------------------------------------------------------------------------


@given(days)
def test_cancellation_day_14_in_day_15_out(delivered: date) -> None:
    assert rules.may_cancel(delivered, delivered)
    assert rules.may_cancel(delivered + timedelta(days=14), delivered)
    assert not rules.may_cancel(delivered + timedelta(days=15), delivered)


@given(days)
def test_cancellation_before_delivery_is_always_possible(today: date) -> None:
    assert rules.may_cancel(today, None)


@given(days)
def test_return_day_60_in_day_61_out(delivered: date) -> None:
    assert rules.may_return(delivered + timedelta(days=60), delivered)
    assert not rules.may_return(delivered + timedelta(days=61), delivered)
    assert not rules.may_return(delivered, None)


@given(days)
def test_warranty_after_day_14_until_month_12(delivered: date) -> None:
    end = rules.warranty_end(delivered)
    assert not rules.may_claim_warranty(delivered + timedelta(days=14), delivered)  # cancel instead
    assert rules.may_claim_warranty(delivered + timedelta(days=15), delivered)
    assert rules.may_claim_warranty(end, delivered)
    assert not rules.may_claim_warranty(end + timedelta(days=1), delivered)
    assert not rules.may_claim_warranty(delivered + timedelta(days=15), None)
    assert 365 <= (end - delivered).days <= 366


def test_warranty_month_12_from_the_end_of_february() -> None:
    assert rules.warranty_end(date(2028, 2, 29)) == date(2029, 2, 28)
    assert rules.warranty_end(date(2026, 3, 10)) == date(2027, 3, 10)


def test_processing_target_is_8_weeks() -> None:
    assert rules.processing_due(date(2026, 3, 2)) == date(2026, 4, 27)


# --- eligibility --------------------------------------------------------------------------------------------

ELIGIBLE = {
    "country": "BE",
    "is_nonprofit": True,
    "verified": True,
    "partner_id": "SW-BE-1",
    "partner_status": "eligible",
    "attestation_version": rules.ATTESTATION_VERSION,
}


def test_an_eligible_organisation_misses_nothing() -> None:
    assert rules.eligibility_gaps(**ELIGIBLE) == []


def test_each_missing_condition_is_named() -> None:
    assert rules.eligibility_gaps(**{**ELIGIBLE, "country": "RO"}) == [rules.NOT_BELGIAN]
    assert rules.eligibility_gaps(**{**ELIGIBLE, "is_nonprofit": False}) == [rules.NOT_NONPROFIT]
    assert rules.eligibility_gaps(**{**ELIGIBLE, "verified": False}) == [rules.NOT_VERIFIED]
    assert rules.eligibility_gaps(**{**ELIGIBLE, "partner_id": " "}) == [rules.NO_PARTNER_ID]
    assert rules.eligibility_gaps(**{**ELIGIBLE, "partner_status": None}) == [rules.PARTNER_PENDING]
    assert rules.eligibility_gaps(**{**ELIGIBLE, "partner_status": "pending"}) == [rules.PARTNER_PENDING]
    assert rules.eligibility_gaps(**{**ELIGIBLE, "partner_status": "refused"}) == [rules.PARTNER_REFUSED]
    assert rules.eligibility_gaps(**{**ELIGIBLE, "attestation_version": None}) == [rules.NO_ATTESTATION]
    # An attestation of an older wording must be signed again.
    assert rules.eligibility_gaps(**{**ELIGIBLE, "attestation_version": "2020-1"}) == [rules.NO_ATTESTATION]


@given(
    st.sampled_from(["BE", "RO", "CA"]),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", "SW-1"]),
    st.sampled_from([None, "pending", "eligible", "refused"]),
    st.sampled_from([None, "2020-1", rules.ATTESTATION_VERSION]),
)
def test_eligible_only_when_everything_holds(
    country: str, nonprofit: bool, verified: bool, partner: str, status: str | None, version: str | None
) -> None:
    gaps = rules.eligibility_gaps(
        country=country,
        is_nonprofit=nonprofit,
        verified=verified,
        partner_id=partner,
        partner_status=status,
        attestation_version=version,
    )
    everything = (
        country == "BE"
        and nonprofit
        and verified
        and partner
        and status == "eligible"
        and version == rules.ATTESTATION_VERSION
    )
    assert (gaps == []) == bool(everything)


# --- money and payment reference -------------------------------------------------------------------------


def test_functional_equivalence() -> None:
    same = {"original_kind": "laptop", "original_score": 70}
    assert rules.is_functional_equivalent(**same, candidate_kind="laptop", candidate_score=70)
    assert rules.is_functional_equivalent(**same, candidate_kind="laptop", candidate_score=90)
    assert not rules.is_functional_equivalent(**same, candidate_kind="laptop", candidate_score=69)
    assert not rules.is_functional_equivalent(**same, candidate_kind="tablet", candidate_score=99)
