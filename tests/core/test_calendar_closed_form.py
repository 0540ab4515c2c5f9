"""The closed-form business-hours count gives exactly what the day-by-day walk gave.

`business_hours_between` used to visit every calendar day between its two instants (a queue page
of long-overdue requests walked thousands of days per row); it now counts whole weeks, a remainder
and the holidays of those years. The walk it replaced is kept here as the reference, and
hypothesis compares the two on every centre's calendar (Belgium, Romania, two Canadian provinces
on their own clocks, a centre open on Saturdays, one whose hours straddle a DST change), over
instants from one minute to several years apart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from guichet.core.calendar import BusinessCalendar

CALENDARS = [
    BusinessCalendar(country="BE", tz=ZoneInfo("Europe/Brussels"), opens=time(8, 30), closes=time(17, 0)),
    BusinessCalendar(country="RO", tz=ZoneInfo("Europe/Bucharest"), opens=time(9, 0), closes=time(18, 0)),
    BusinessCalendar(
        country="CA", tz=ZoneInfo("America/Toronto"), opens=time(8, 0), closes=time(17, 0), subdivision="QC"
    ),
    BusinessCalendar(
        country="CA", tz=ZoneInfo("America/Vancouver"), opens=time(8, 0), closes=time(17, 0), subdivision="BC"
    ),
    # Open on Saturdays, and across the 01:00-03:00 hours where clocks change.
    BusinessCalendar(
        country="BE",
        tz=ZoneInfo("Europe/Brussels"),
        opens=time(1, 30),
        closes=time(23, 0),
        weekdays=frozenset(range(6)),
    ),
    # Closing before opening: no open time at all.
    BusinessCalendar(country="BE", tz=ZoneInfo("Europe/Brussels"), opens=time(17, 0), closes=time(9, 0)),
]


def day_by_day(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """The implementation the closed form replaced, verbatim."""
    if end <= start:
        return timedelta(0)
    total = timedelta(0)
    day = calendar.local(start).date()
    last = calendar.local(end).date()
    while day <= last:
        if calendar.is_business_day(day):
            window_start = max(calendar._opening(day), start.astimezone(calendar.tz))
            window_end = min(calendar._closing(day), end.astimezone(calendar.tz))
            if window_end > window_start:
                total += window_end - window_start
        day += timedelta(days=1)
    return total


instants = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2031, 12, 31), timezones=st.just(UTC))
spans = st.one_of(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=4 * 366)),
)


@settings(max_examples=400, deadline=None)
@given(calendar=st.sampled_from(CALENDARS), start=instants, span=spans)
@example(calendar=CALENDARS[0], start=datetime(2026, 12, 24, 16, 0, tzinfo=UTC), span=timedelta(days=10))
@example(calendar=CALENDARS[4], start=datetime(2026, 3, 28, 22, 0, tzinfo=UTC), span=timedelta(days=2))
@example(calendar=CALENDARS[4], start=datetime(2026, 10, 24, 22, 0, tzinfo=UTC), span=timedelta(days=2))
def test_closed_form_equals_the_day_by_day_walk(calendar: BusinessCalendar, start: datetime, span: timedelta) -> None:
    end = start + span
    assert calendar.business_hours_between(start, end) == day_by_day(calendar, start, end)
    assert calendar.business_hours_between(end, start) == timedelta(0)


@settings(max_examples=200, deadline=None)
@given(
    calendar=st.sampled_from(CALENDARS),
    first=st.dates(min_value=date(2019, 1, 1), max_value=date(2031, 12, 31)),
    days=st.integers(min_value=-3, max_value=800),
)
def test_business_days_between_counts_what_is_business_day_says(
    calendar: BusinessCalendar, first: date, days: int
) -> None:
    last = first + timedelta(days=days)
    walked = sum(1 for n in range(days + 1) if calendar.is_business_day(first + timedelta(days=n)))
    assert calendar.business_days_between(first, last) == walked


def test_years_apart_costs_no_walk() -> None:
    """Five years of overdue time is answered without visiting the days (the old walk took ~1,800 look-ups)."""
    calendar = CALENDARS[0]
    looked_up: list[date] = []
    original = BusinessCalendar.is_business_day

    def counting(self: BusinessCalendar, day: date) -> bool:
        looked_up.append(day)
        return original(self, day)

    start, end = datetime(2021, 3, 1, 9, tzinfo=UTC), datetime(2026, 3, 2, 9, tzinfo=UTC)
    BusinessCalendar.is_business_day = counting  # type: ignore[method-assign]
    try:
        hours = calendar.business_hours_between(start, end)
    finally:
        BusinessCalendar.is_business_day = original  # type: ignore[method-assign]
    assert len(looked_up) == 2  # the two edge days only
    assert hours == day_by_day(calendar, start, end)
