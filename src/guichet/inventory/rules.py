"""Inventory policy: coverage, repair handling and slots, the last charged day, deadlines. No ORM.

Plain values in, plain values out. The business calendar passed to the slot rule
is a value object (`core.calendar.BusinessCalendar`), not a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from guichet.core.calendar import BusinessCalendar

# --- coverage ---------------------------------------------------------------------------------

CONTRACT = "contract"
WARRANTY = "warranty"
NOT_COVERED = "none"

ONSITE_SAME_DAY = "onsite_same_day"
ONSITE_NEXT_DAY = "onsite_next_day"
CARRY_IN = "carry_in"
MAIL_IN = "mail_in"
ONSITE_LEVELS = frozenset({ONSITE_SAME_DAY, ONSITE_NEXT_DAY})

# Warranty service is mail-in: the vendor's standard warranty has no on-site visit (decision 0008).
WARRANTY_SERVICE_LEVEL = MAIL_IN
# A machine nobody covers is repaired mail-in too, with parts and labour billed.
UNCOVERED_SERVICE_LEVEL = MAIL_IN


@dataclass(frozen=True)
class CoverageLine:
    """One contract line covering the machine, as plain values."""

    contract_number: str
    contract_active: bool
    service_level: str
    covered_from: date
    covered_until: date | None  # None: open
    contract_end: date | None  # None: open-ended contract


@dataclass(frozen=True)
class Coverage:
    state: str  # CONTRACT, WARRANTY or NOT_COVERED
    until: date | None = None  # None with CONTRACT: open-ended
    contract_number: str = ""
    service_level: str = UNCOVERED_SERVICE_LEVEL

    @property
    def covered(self) -> bool:
        return self.state != NOT_COVERED


def _line_end(line: CoverageLine) -> date | None:
    ends = [d for d in (line.covered_until, line.contract_end) if d is not None]
    return min(ends) if ends else None


def coverage_on(today: date, lines: Iterable[CoverageLine], warranty_end: date | None) -> Coverage:
    """A maintenance contract in force today wins; else the warranty; else not covered.

    Several contract lines in force at once (a renewal overlapping): the one that
    runs longest (open-ended first) is shown.
    """
    in_force = []
    for line in lines:
        end = _line_end(line)
        if line.contract_active and line.covered_from <= today and (end is None or today <= end):
            in_force.append((line, end))
    if in_force:
        line, end = max(in_force, key=lambda pair: (pair[1] is None, pair[1] or date.min, pair[0].contract_number))
        return Coverage(CONTRACT, end, line.contract_number, line.service_level)
    if warranty_end is not None and today <= warranty_end:
        return Coverage(WARRANTY, warranty_end, "", WARRANTY_SERVICE_LEVEL)
    return Coverage(NOT_COVERED)


# --- repairs ----------------------------------------------------------------------------------

ONSITE = "onsite"
MAIL = "mail_in"
# A same-day visit is only promised for requests made before this local time on a business day.
SAME_DAY_CUTOFF = time(12, 0)
# Lead time before a same-day technician can be on site.
SAME_DAY_LEAD = timedelta(hours=2)
VISIT_WINDOW = timedelta(hours=4)
# Mail-in requests are dispatched (label checked, centre told) within this many business days.
MAIL_IN_DISPATCH_BUSINESS_DAYS = 1
BILLING_WORDING_VERSION = "2026-1"

# A cost estimate on an uncovered repair (the agent's figure, never a vendor price list): a sanity
# bound on what one repair may be estimated at, in the organisation's currency, and its note's length.
ESTIMATE_MAX = Decimal("100000.00")
ESTIMATE_NOTE_MAX = 500


def handling_for(service_level: str) -> str:
    return ONSITE if service_level in ONSITE_LEVELS else MAIL


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def _window(calendar: BusinessCalendar, day: date, start: time | None = None) -> Slot:
    opens = datetime.combine(day, start or calendar.opens, tzinfo=calendar.tz)
    closes = datetime.combine(day, calendar.closes, tzinfo=calendar.tz)
    return Slot(opens, min(opens + VISIT_WINDOW, closes))


def proposed_slot(now: datetime, service_level: str, calendar: BusinessCalendar) -> Slot | None:
    """The visit window to propose, in the site's business hours; None when the level is not on site.

    Same day: today, from the next full hour plus the lead time, if asked before the
    cut-off on a business day and the window still fits before closing; otherwise,
    like next business day: the next business day's first four opening hours.
    """
    if service_level not in ONSITE_LEVELS:
        return None
    local = calendar.local(now)
    today = local.date()
    if service_level == ONSITE_SAME_DAY and calendar.is_business_day(today) and local.time() < SAME_DAY_CUTOFF:
        next_hour = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        start = max(next_hour + SAME_DAY_LEAD, datetime.combine(today, calendar.opens, tzinfo=calendar.tz))
        closes = datetime.combine(today, calendar.closes, tzinfo=calendar.tz)
        if start < closes:
            return Slot(start, min(start + VISIT_WINDOW, closes))
    return _window(calendar, calendar.next_business_day(today + timedelta(days=1)))


def dispatch_due(now: datetime, handling: str, slot: Slot | None, calendar: BusinessCalendar) -> datetime:
    """By when an agent must dispatch: before the proposed visit, or within a business day for mail-in."""
    if handling == ONSITE and slot is not None:
        return slot.start
    day = calendar.add_business_days(calendar.local(now).date(), MAIL_IN_DISPATCH_BUSINESS_DAYS)
    return datetime.combine(day, calendar.closes, tzinfo=calendar.tz)


# --- machine leaving the customer -------------------------------------------------------------

CUSTOMER_NOTICE = relativedelta(months=1)
# An agent confirms a reported transfer within this many business days.
TRANSFER_CONFIRM_BUSINESS_DAYS = 2


def last_charged_day(reported_on: date, leaves_on: date) -> date:
    """One month's notice runs from the report; maintenance is charged until it ends, and not before
    the machine has left.

    The notice ends on the same day of the next month (the month's last day when it is
    shorter: a report on 31 January ends on 28 or 29 February); that day is charged.
    """
    return max(reported_on + CUSTOMER_NOTICE, leaves_on)


def transfer_takes_effect(today: date, leaves_on: date) -> bool:
    """A confirmed transfer is applied once the machine has left."""
    return today >= leaves_on


# --- relocations ------------------------------------------------------------------------------

# How long agents take to evaluate a request and how much notice a customer gives are this
# product's own choices, not the vendor's policy (its FAQ says only "several days"): they are
# settings (RELOCATION_EVALUATE_BUSINESS_DAYS, RELOCATION_MIN_LEAD_BUSINESS_DAYS), read by services.

SUBMITTED = "submitted"
ASSIGNED = "assigned"
APPROVED = "approved"
REFUSED = "refused"
CARRIED_OUT = "carried_out"

RELOCATION_MOVES = {
    SUBMITTED: frozenset({ASSIGNED}),
    ASSIGNED: frozenset({APPROVED, REFUSED}),
    APPROVED: frozenset({CARRIED_OUT}),
    REFUSED: frozenset(),
    CARRIED_OUT: frozenset(),
}
RELOCATION_OPEN = frozenset({SUBMITTED, ASSIGNED, APPROVED})


def relocation_may_move(current: str, target: str) -> bool:
    return target in RELOCATION_MOVES.get(current, frozenset())


def is_cross_border(from_country: str, to_country: str) -> bool:
    return from_country.strip().upper() != to_country.strip().upper()
