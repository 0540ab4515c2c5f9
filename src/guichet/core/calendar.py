"""Business days and business hours of a support centre.

"Business day" always means the support centre's: Monday to Friday, not a
public holiday of its country (and province, in Canada), between its opening
and closing times in its own time zone.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

from .countries import get_centre

WORKING_WEEKDAYS = frozenset(range(5))  # Monday..Friday

# Canada spans six time zones: a Canadian organisation's day and hours run on its province's clock.
PROVINCE_ZONES = {
    "AB": "America/Edmonton",
    "BC": "America/Vancouver",
    "MB": "America/Winnipeg",
    "NB": "America/Moncton",
    "NL": "America/St_Johns",
    "NS": "America/Halifax",
    "NT": "America/Yellowknife",
    "NU": "America/Iqaluit",
    "ON": "America/Toronto",
    "PE": "America/Halifax",
    "QC": "America/Toronto",
    "SK": "America/Regina",
    "YT": "America/Whitehorse",
}


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision or None)


def is_public_holiday(country: str, subdivision: str | None, day: date) -> bool:
    """`day` is a public holiday of `country` (of a province's, given one); the first call of a
    country and year loads its holidays (a web worker does it before its first request: ops/warmup.py)."""
    return day in _public_holidays(country, subdivision)


@lru_cache(maxsize=512)
def _working_holidays(country: str, subdivision: str | None, weekdays: frozenset[int], year: int) -> tuple[date, ...]:
    """The public holidays of one year that fall on a working weekday, sorted (for bisecting).

    Asked of the same library object `is_holiday` asks, with the neighbouring years loaded first, so
    a holiday one year's rules place in the next (an observed day) is counted where it falls.
    """
    public = _public_holidays(country, subdivision)
    for neighbour in (year - 1, year, year + 1):
        date(neighbour, 6, 1) in public  # noqa: B015 - loads the year's holidays into the object
    return tuple(sorted(day for day in public if day.year == year and day.weekday() in weekdays))


@dataclass(frozen=True)
class BusinessCalendar:
    country: str
    tz: ZoneInfo
    opens: time
    closes: time
    subdivision: str | None = None
    weekdays: frozenset[int] = field(default=WORKING_WEEKDAYS)

    # --- days -----------------------------------------------------------
    def is_holiday(self, day: date) -> bool:
        return is_public_holiday(self.country, self.subdivision, day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and not self.is_holiday(day)

    def add_business_days(self, start: date, days: int) -> date:
        """The day `days` business days after `start` (before it, if negative)."""
        step = 1 if days >= 0 else -1
        remaining = abs(days)
        current = start
        while remaining:
            current += timedelta(days=step)
            if self.is_business_day(current):
                remaining -= 1
        return current

    def next_business_day(self, day: date) -> date:
        """`day` itself if it is a business day, else the next one."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    # --- hours ----------------------------------------------------------
    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.tz)

    def today(self) -> date:
        """The date it is now on this calendar's clock."""
        return self.local(timezone.now()).date()

    def _opening(self, day: date) -> datetime:
        return datetime.combine(day, self.opens, tzinfo=self.tz)

    def _closing(self, day: date) -> datetime:
        return datetime.combine(day, self.closes, tzinfo=self.tz)

    def is_open(self, at: datetime) -> bool:
        local = self.local(at)
        return self.is_business_day(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, at: datetime) -> datetime:
        """When the centre next opens after `at` (`at` itself is never returned while open)."""
        local = self.local(at)
        day = local.date()
        if self.is_business_day(day) and local < self._opening(day):
            return self._opening(day)
        return self._opening(self.next_business_day(day + timedelta(days=1)))

    def closing_time(self, at: datetime) -> datetime | None:
        """Today's closing time if the centre is open at `at`."""
        return self._closing(self.local(at).date()) if self.is_open(at) else None

    def business_hours_between(self, start: datetime, end: datetime) -> timedelta:
        """Open time between two instants (zero if end is before start), in closed form.

        The two edge days are counted on their own; every day between them is a whole opening
        (closing minus opening on the wall clock, as the day-by-day count measured it), so the middle is
        (business days strictly between) times (hours of a day): whole weeks times working weekdays, a
        remainder of at most six days, minus the public holidays of those years that fall on a
        working weekday (one sorted list per year, bisected). A queue page of 25 overdue requests
        used to walk thousands of days; this walks none.
        """
        if end <= start:
            return timedelta(0)
        local_start, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
        first, last = local_start.date(), local_end.date()
        if first == last:
            return self._open_within(first, local_start, local_end)
        total = self._open_within(first, local_start, self._closing(first))
        total += self._open_within(last, self._opening(last), local_end)
        middle = self.business_days_between(first + timedelta(days=1), last - timedelta(days=1))
        return total + middle * self._day_length()

    def _open_within(self, day: date, start: datetime, end: datetime) -> timedelta:
        """Open time of one day inside [start, end] (wall-clock arithmetic, both on this calendar's zone)."""
        if not self.is_business_day(day):
            return timedelta(0)
        window_start = max(self._opening(day), start)
        window_end = min(self._closing(day), end)
        return window_end - window_start if window_end > window_start else timedelta(0)

    def _day_length(self) -> timedelta:
        length = datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)
        return max(length, timedelta(0))

    def business_days_between(self, first: date, last: date) -> int:
        """How many business days there are from `first` to `last`, both included (0 if last < first)."""
        if last < first:
            return 0
        span = (last - first).days + 1
        weeks, remainder = divmod(span, 7)
        working = weeks * len(self.weekdays)
        working += sum(1 for offset in range(remainder) if (first.weekday() + offset) % 7 in self.weekdays)
        holidays_on_workdays = 0
        for year in range(first.year, last.year + 1):
            days = _working_holidays(self.country, self.subdivision, self.weekdays, year)
            holidays_on_workdays += bisect_right(days, last) - bisect_left(days, first)
        return working - holidays_on_workdays

    def add_business_hours(self, start: datetime, hours: timedelta) -> datetime:
        """The instant when `hours` of open time have passed since `start`."""
        remaining = hours
        local = self.local(start)
        day = local.date()
        cursor = local
        while True:
            if self.is_business_day(day):
                window_start = max(self._opening(day), cursor)
                window_end = self._closing(day)
                if window_end > window_start:
                    available = window_end - window_start
                    if remaining <= available:
                        return (window_start + remaining).astimezone(UTC)
                    remaining -= available
            day += timedelta(days=1)
            cursor = self._opening(day)

    def last_stretch_start(self, end: datetime, hours: timedelta) -> datetime:
        """The earliest instant from which at most `hours` of open time are left until `end`.

        From it on, `business_hours_between(at, end) <= hours` holds, and before it never does
        (open time left only shrinks as time passes), so "is it at most `hours` from the due time"
        becomes one comparison of instants, which SQL can make. When the count lands exactly on an
        opening, the closed stretch before it belongs to the answer too: it starts at the previous
        closing. Walks back over the days, at write time only (a few days at most for SLA shares).
        """
        remaining = hours
        cursor = self.local(end)
        day = cursor.date()
        while True:
            if self.is_business_day(day):
                window_start = self._opening(day)
                window_end = min(self._closing(day), cursor)
                if window_end > window_start:
                    available = window_end - window_start
                    if remaining < available:
                        return (window_end - remaining).astimezone(UTC)
                    remaining -= available
            day -= timedelta(days=1)
            cursor = self._closing(day)


def calendar_for(country: str, subdivision: str | None = None) -> BusinessCalendar:
    """The business calendar of a country's support centre (province for Canada: its holidays and its clock)."""
    centre = get_centre(country)
    subdivision = subdivision or centre.holiday_subdivision or None
    zone = PROVINCE_ZONES.get(subdivision or "", centre.timezone) if country == "CA" else centre.timezone
    return BusinessCalendar(
        country=country,
        tz=ZoneInfo(zone),
        opens=centre.opens_at,
        closes=centre.closes_at,
        subdivision=subdivision,
    )


class Located(Protocol):
    """An organisation, as the calendar sees it."""

    country: str
    province: str


def calendar_of(organisation: Located) -> BusinessCalendar:
    return calendar_for(organisation.country, organisation.province or None)


def today_for(organisation: Located) -> date:
    """The business calendar's today for an organisation: the date on its own clock.

    The one "today" of the portal: never the process's local date, nor UTC's (ruff bans both).
    """
    return calendar_of(organisation).today()


def today_in(country: str) -> date:
    """Today at a country's support centre (for the vendor's own work across its customers)."""
    return calendar_for(country).today()


class Staff(Protocol):
    country: str


def today_for_staff(staff: Staff) -> date:
    """An agent's today is their country's; an administrator serves every country and has none, so
    theirs is UTC's (a day either way changes nothing in the windows the console lists)."""
    return today_in(staff.country) if staff.country else timezone.now().date()
