"""The program's clock: the Belgian business calendar (tests set `today` here)."""

from __future__ import annotations

from datetime import date

from guichet.core.calendar import BusinessCalendar, calendar_for

from .. import rules


def calendar() -> BusinessCalendar:
    return calendar_for(rules.PROGRAM_COUNTRY, None)


def today() -> date:
    return calendar().today()
