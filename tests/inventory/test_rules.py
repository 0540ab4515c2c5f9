"""Inventory rules at their edges: coverage, the last charged day, visit slots, relocation steps."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from guichet.core.calendar import BusinessCalendar
from guichet.inventory import rules

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
BRUSSELS = BusinessCalendar(country="BE", tz=ZoneInfo("Europe/Brussels"), opens=time(8, 30), closes=time(17, 0))


# --- last charged day ---------------------------------------------------------------------------


def test_one_month_notice_from_the_report() -> None:
    assert rules.last_charged_day(date(2026, 3, 10), date(2026, 3, 1)) == date(2026, 4, 10)


def test_across_month_ends_the_notice_ends_on_the_shorter_months_last_day() -> None:
    assert rules.last_charged_day(date(2026, 1, 31), date(2026, 1, 31)) == date(2026, 2, 28)
    assert rules.last_charged_day(date(2028, 1, 31), date(2028, 1, 1)) == date(2028, 2, 29)  # leap year
    assert rules.last_charged_day(date(2026, 3, 31), date(2026, 3, 1)) == date(2026, 4, 30)
    assert rules.last_charged_day(date(2026, 12, 31), date(2026, 12, 1)) == date(2027, 1, 31)


def test_not_before_the_return_date() -> None:
    report = date(2026, 3, 10)
    notice_end = date(2026, 4, 10)
    assert rules.last_charged_day(report, notice_end - timedelta(days=1)) == notice_end  # the day before
    assert rules.last_charged_day(report, notice_end) == notice_end  # the day of
    assert rules.last_charged_day(report, notice_end + timedelta(days=1)) == notice_end + timedelta(days=1)


@given(report=DAYS, leaves=DAYS)
def test_last_charged_day_is_the_later_of_notice_end_and_return(report: date, leaves: date) -> None:
    last = rules.last_charged_day(report, leaves)
    assert last >= leaves
    assert last >= report + relativedelta(months=1)
    assert last in (leaves, report + relativedelta(months=1))


@given(report=DAYS, days_after=st.integers(min_value=0, max_value=400))
def test_a_report_after_the_return_date_still_gives_a_full_months_notice(report: date, days_after: int) -> None:
    leaves = report - timedelta(days=days_after)  # the machine left before it was reported
    last = rules.last_charged_day(report, leaves)
    assert last == report + relativedelta(months=1)
    assert 28 <= (last - report).days <= 31


@given(report=DAYS)
def test_notice_is_between_28_and_31_days_and_lands_on_the_same_day_or_month_end(report: date) -> None:
    last = rules.last_charged_day(report, report)
    assert 28 <= (last - report).days <= 31
    next_month_end = (last.replace(day=1) + relativedelta(months=1)) - timedelta(days=1)
    assert last.day == report.day or last == next_month_end


@given(a=DAYS, b=DAYS, leaves=DAYS)
def test_a_later_report_never_charges_less(a: date, b: date, leaves: date) -> None:
    early, late = sorted((a, b))
    assert rules.last_charged_day(early, leaves) <= rules.last_charged_day(late, leaves)


def test_transfer_takes_effect_on_the_day_the_machine_leaves() -> None:
    leaves = date(2026, 5, 15)
    assert not rules.transfer_takes_effect(leaves - timedelta(days=1), leaves)
    assert rules.transfer_takes_effect(leaves, leaves)
    assert rules.transfer_takes_effect(leaves + timedelta(days=1), leaves)


# --- coverage -------------------------------------------------------------------------------------


def line(**overrides: object) -> rules.CoverageLine:
    values: dict[str, object] = {
        "contract_number": "BE-HW-2024-0001",
        "contract_active": True,
        "service_level": "onsite_next_day",
        "covered_from": date(2026, 1, 1),
        "covered_until": None,
        "contract_end": date(2026, 12, 31),
    }
    values.update(overrides)
    return rules.CoverageLine(**values)  # type: ignore[arg-type]


def test_contract_covers_from_its_first_to_its_last_day() -> None:
    lines = [line()]
    assert rules.coverage_on(date(2025, 12, 31), lines, None).state == rules.NOT_COVERED
    covered = rules.coverage_on(date(2026, 1, 1), lines, None)
    assert (covered.state, covered.until, covered.contract_number) == (
        rules.CONTRACT,
        date(2026, 12, 31),
        "BE-HW-2024-0001",
    )
    assert rules.coverage_on(date(2026, 12, 31), lines, None).state == rules.CONTRACT
    assert rules.coverage_on(date(2027, 1, 1), lines, None).state == rules.NOT_COVERED


def test_covered_until_ends_the_line_before_the_contract_does() -> None:
    lines = [line(covered_until=date(2026, 6, 30))]
    assert rules.coverage_on(date(2026, 6, 30), lines, None).until == date(2026, 6, 30)
    assert rules.coverage_on(date(2026, 7, 1), lines, None).state == rules.NOT_COVERED


def test_inactive_contract_does_not_cover_and_the_warranty_shows() -> None:
    coverage = rules.coverage_on(date(2026, 3, 1), [line(contract_active=False)], date(2026, 3, 1))
    assert (coverage.state, coverage.until, coverage.service_level) == (rules.WARRANTY, date(2026, 3, 1), rules.MAIL_IN)
    assert rules.coverage_on(date(2026, 3, 2), [], date(2026, 3, 1)).state == rules.NOT_COVERED


def test_contract_wins_over_warranty_and_open_ended_lines_win() -> None:
    lines = [line(contract_number="A", contract_end=date(2026, 6, 1)), line(contract_number="B", contract_end=None)]
    coverage = rules.coverage_on(date(2026, 3, 1), lines, date(2027, 1, 1))
    assert (coverage.state, coverage.contract_number, coverage.until) == (rules.CONTRACT, "B", None)


@given(today=DAYS, warranty=st.one_of(st.none(), DAYS))
def test_without_contract_coverage_follows_the_warranty(today: date, warranty: date | None) -> None:
    coverage = rules.coverage_on(today, [], warranty)
    assert coverage.covered == (warranty is not None and today <= warranty)


# --- repairs --------------------------------------------------------------------------------------


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS.tz).astimezone(UTC)


TUESDAY = date(2026, 3, 10)
FRIDAY = date(2026, 3, 13)


def test_handling_follows_the_service_level() -> None:
    assert rules.handling_for("onsite_same_day") == rules.ONSITE
    assert rules.handling_for("onsite_next_day") == rules.ONSITE
    assert rules.handling_for("carry_in") == rules.MAIL
    assert rules.handling_for("mail_in") == rules.MAIL


def test_next_business_day_slot_is_the_next_mornings_opening_hours() -> None:
    slot = rules.proposed_slot(at(TUESDAY, 15), "onsite_next_day", BRUSSELS)
    assert slot is not None
    assert BRUSSELS.local(slot.start) == datetime.combine(date(2026, 3, 11), time(8, 30), tzinfo=BRUSSELS.tz)
    assert slot.end - slot.start == rules.VISIT_WINDOW


def test_friday_next_business_day_is_monday() -> None:
    slot = rules.proposed_slot(at(FRIDAY, 10), "onsite_next_day", BRUSSELS)
    assert slot is not None and BRUSSELS.local(slot.start).date() == date(2026, 3, 16)


def test_same_day_before_the_cut_off_is_today_after_the_lead_time() -> None:
    slot = rules.proposed_slot(at(TUESDAY, 9, 15), "onsite_same_day", BRUSSELS)
    assert slot is not None
    assert BRUSSELS.local(slot.start) == datetime.combine(TUESDAY, time(12, 0), tzinfo=BRUSSELS.tz)


def test_same_day_at_the_cut_off_moves_to_the_next_business_day() -> None:
    just_before = rules.proposed_slot(at(TUESDAY, 11, 59), "onsite_same_day", BRUSSELS)
    at_cut_off = rules.proposed_slot(at(TUESDAY, 12, 0), "onsite_same_day", BRUSSELS)
    assert just_before is not None and BRUSSELS.local(just_before.start).date() == TUESDAY
    assert at_cut_off is not None and BRUSSELS.local(at_cut_off.start).date() == date(2026, 3, 11)


def test_mail_in_has_no_slot() -> None:
    assert rules.proposed_slot(at(TUESDAY, 9), "mail_in", BRUSSELS) is None


@given(
    moment=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    level=st.sampled_from(sorted(rules.ONSITE_LEVELS)),
)
def test_slots_are_always_within_business_hours_of_a_business_day(moment: datetime, level: str) -> None:
    now = moment.replace(tzinfo=UTC)
    slot = rules.proposed_slot(now, level, BRUSSELS)
    assert slot is not None
    start, end = BRUSSELS.local(slot.start), BRUSSELS.local(slot.end)
    assert BRUSSELS.is_business_day(start.date()) and start.date() == end.date()
    assert BRUSSELS.opens <= start.time() and end.time() <= BRUSSELS.closes and start < end
    assert slot.start > now


# --- relocations ----------------------------------------------------------------------------------


def test_relocation_steps() -> None:
    assert rules.relocation_may_move("submitted", "assigned")
    assert not rules.relocation_may_move("submitted", "approved")  # evaluated before anything happens
    assert rules.relocation_may_move("assigned", "approved") and rules.relocation_may_move("assigned", "refused")
    assert rules.relocation_may_move("approved", "carried_out")
    assert not rules.relocation_may_move("refused", "carried_out")
    assert not rules.is_cross_border("BE", "be") and rules.is_cross_border("BE", "RO")
