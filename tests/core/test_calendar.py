"""Business days and hours per support centre, at their edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.core.calendar import BusinessCalendar, calendar_for

BRUSSELS = ZoneInfo("Europe/Brussels")
BE = BusinessCalendar(country="BE", tz=BRUSSELS, opens=time(8, 30), closes=time(17, 0))
QC = BusinessCalendar(
    country="CA", tz=ZoneInfo("America/Toronto"), opens=time(8, 0), closes=time(17, 0), subdivision="QC"
)
ON = BusinessCalendar(
    country="CA", tz=ZoneInfo("America/Toronto"), opens=time(8, 0), closes=time(17, 0), subdivision="ON"
)


def brussels(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


def test_belgian_national_day_is_not_a_business_day() -> None:
    assert not BE.is_business_day(date(2026, 7, 21))  # Tuesday, national holiday
    assert BE.is_business_day(date(2026, 7, 22))


def test_weekends_are_not_business_days() -> None:
    assert not BE.is_business_day(date(2026, 11, 21))  # Saturday
    assert not BE.is_business_day(date(2026, 11, 22))  # Sunday
    assert BE.is_business_day(date(2026, 11, 23))


def test_quebec_holiday_differs_from_ontario() -> None:
    fete_nationale = date(2026, 6, 24)  # Wednesday: Quebec only
    assert not QC.is_business_day(fete_nationale)
    assert ON.is_business_day(fete_nationale)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday + 1 → Monday
        (date(2026, 11, 20), 2, date(2026, 11, 24)),
        (date(2026, 7, 20), 1, date(2026, 7, 22)),  # Monday + 1 skips 21 July
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # Christmas and the weekend
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
        (date(2026, 11, 23), -1, date(2026, 11, 20)),
    ],
)
def test_add_business_days(start: date, days: int, expected: date) -> None:
    assert BE.add_business_days(start, days) == expected


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=40))
def test_adding_business_days_lands_on_a_business_day_and_counts_exactly(start: date, days: int) -> None:
    end = BE.add_business_days(start, days)
    assert BE.is_business_day(end)
    counted = sum(BE.is_business_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert counted == days


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (brussels(2026, 11, 23, 8, 29), False),  # the minute before opening
        (brussels(2026, 11, 23, 8, 30), True),  # opening time
        (brussels(2026, 11, 23, 16, 59), True),
        (brussels(2026, 11, 23, 17, 0), False),  # closing time
        (brussels(2026, 11, 21, 10, 0), False),  # Saturday
        (brussels(2026, 7, 21, 10, 0), False),  # public holiday
    ],
)
def test_is_open_at_the_edges(at: datetime, is_open: bool) -> None:
    assert BE.is_open(at) is is_open


def test_next_opening_after_friday_close_is_monday_morning() -> None:
    assert BE.next_opening(brussels(2026, 11, 20, 17, 0)) == brussels(2026, 11, 23, 8, 30)


def test_next_opening_before_opening_is_same_day() -> None:
    assert BE.next_opening(brussels(2026, 11, 23, 7, 0)) == brussels(2026, 11, 23, 8, 30)


def test_next_opening_skips_holidays() -> None:
    assert BE.next_opening(brussels(2026, 7, 20, 18, 0)) == brussels(2026, 7, 22, 8, 30)


def test_business_hours_between_spans_a_weekend() -> None:
    hours = BE.business_hours_between(brussels(2026, 11, 20, 16, 0), brussels(2026, 11, 23, 9, 30))
    assert hours == timedelta(hours=2)  # Friday 16:00 to 17:00, Monday 08:30 to 09:30


def test_business_hours_between_is_zero_backwards() -> None:
    assert BE.business_hours_between(brussels(2026, 11, 23, 12), brussels(2026, 11, 23, 10)) == timedelta(0)


def test_business_hours_across_daylight_saving_change() -> None:
    # 2026-10-25 clocks go back in Brussels; Friday 16:00 to Monday 09:30 is still 2 open hours.
    hours = BE.business_hours_between(brussels(2026, 10, 23, 16, 0), brussels(2026, 10, 26, 9, 30))
    assert hours == timedelta(hours=2)


@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    st.integers(min_value=1, max_value=60 * 40),
)
def test_add_business_hours_inverts_business_hours_between(start: datetime, minutes: int) -> None:
    end = BE.add_business_hours(start, timedelta(minutes=minutes))
    assert BE.business_hours_between(start, end) == timedelta(minutes=minutes)


@pytest.mark.django_db
def test_calendar_for_reads_the_support_centre() -> None:
    romania = calendar_for("RO")
    assert romania.opens == time(9, 0) and romania.closes == time(17, 30)
    assert not romania.is_business_day(date(2026, 12, 1))  # Romania's national day
    assert calendar_for("CA").subdivision == "QC"
    assert calendar_for("CA", "ON").subdivision == "ON"


# --- the portal's one "today" (today_for) ------------------------------------------------------


class _Organisation:
    def __init__(self, country: str, province: str = "") -> None:
        self.country, self.province = country, province


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "province", "expected"),
    [
        ("BE", "", date(2026, 12, 7)),  # 00:30 in Brussels already
        ("RO", "", date(2026, 12, 7)),  # 01:30 in Bucharest
        ("CA", "QC", date(2026, 12, 6)),  # 18:30 in Montreal
        ("CA", "BC", date(2026, 12, 6)),  # 15:30 in Vancouver
        ("CA", "", date(2026, 12, 6)),  # the centre's default province (Quebec)
    ],
)
def test_today_is_the_date_on_the_organisations_own_clock(
    monkeypatch: pytest.MonkeyPatch, country: str, province: str, expected: date
) -> None:
    from django.utils import timezone

    from guichet.core.calendar import today_for

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 6, 23, 30, tzinfo=UTC))
    assert today_for(_Organisation(country, province)) == expected


@pytest.mark.django_db
def test_a_canadian_province_keeps_its_own_holidays_and_clock() -> None:
    calendar = calendar_for("CA", "BC")
    assert calendar.tz == ZoneInfo("America/Vancouver")
    assert not calendar.is_business_day(date(2026, 8, 3))  # British Columbia Day
    assert calendar_for("CA", "QC").is_business_day(date(2026, 8, 3))
