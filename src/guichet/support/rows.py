"""The agents' queue, row by row: each row's text computed once in Python (core/rows.py says why).

The queue's template prints these attributes and nothing else; Django's autoescape escapes them as
it escaped the cells before. Labels come from one map per language, the link from one `reverse()`
per page, dates in the organisation's support-centre zone in the reader's language, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from guichet.accounts.models import shown_name
from guichet.core.calendar import BusinessCalendar, calendar_for
from guichet.core.countries import get_centre
from guichet.core.rows import labels, url_for, zoned_texts

from .models import Priority, RequestType, Status
from .selectors import SlaRow, sla_view

# Bootstrap colours only reinforce the label, which always carries the meaning.
STATUS_CSS = {
    Status.SUBMITTED: "text-bg-secondary",
    Status.ASSIGNED: "text-bg-info",
    Status.IN_PROGRESS: "text-bg-primary",
    Status.WAITING: "text-bg-warning",
    Status.RESOLVED: "text-bg-success",
    Status.CLOSED: "text-bg-dark",
}
SLA_CSS = {
    "ok": "text-bg-success",
    "at_risk": "text-bg-warning",
    "breached": "text-bg-danger",
    "paused": "text-bg-secondary",
    "done": "text-bg-light border",
}


def sla_labels() -> dict[str, str]:
    return _sla_labels(translation.get_language() or "")


@lru_cache(maxsize=16)
def _sla_labels(language: str) -> dict[str, str]:
    return {
        "ok": _("On time"),
        "at_risk": _("At risk"),
        "breached": _("Breached"),
        "paused": _("Paused"),
        "done": _("Done"),
    }


def business_duration(value: timedelta | None, pattern: str | None = None) -> str:
    """ "3 h 05 min" of business time, sign dropped (the badge says whether it is late).

    `pattern` is the translated "%(hours)s h %(minutes)02d min", when the caller has it already.
    """
    if value is None:
        return ""
    minutes = int(abs(value).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return (pattern or _("%(hours)s h %(minutes)02d min")) % {"hours": hours, "minutes": minutes}


def centre_zone(country: str) -> ZoneInfo:
    """The zone of a country's support centre (editable: read each page, from core/countries' cache)."""
    return ZoneInfo(str(get_centre(country).timezone))


# Django's own message and its translations (django.utils.text.add_truncation_text); named here, not
# written as a literal, so that `makemessages` does not copy it into our catalogue.
_TRUNCATION = ("String to return when truncating text", "%(truncated_text)s…")
SUBJECT_CHARS = 60


@dataclass(frozen=True, slots=True)
class QueueRow:
    number: str
    url: str
    select_label: str
    subject: str
    organisation: str
    country: str
    type: str
    priority: str
    status: str
    status_css: str
    assignee: str  # "" when nobody is
    sla_state: str
    sla_css: str
    sla_label: str
    sla_text: str  # "3 h 05 min late", "… left", or ""
    due_iso: str  # in the organisation's support-centre zone
    due_text: str


class QueueColumns(SlaRow, Protocol):
    """A queue row as `selectors.QUEUE_COLUMNS` reads it (`values_list(named=True)`)."""

    number: str
    subject: str
    organisation__name: str
    organisation__country: str
    organisation__province: str
    assignee__first_name: str | None
    assignee__last_name: str | None
    assignee__email: str | None


def subject_text(subject: str, ellipsis: str) -> str:
    """`Truncator(subject).chars(60, truncate=ellipsis)`: an ASCII subject of 60 characters or fewer
    is that already (nothing to normalise, no combining mark), without building the Truncator."""
    if len(subject) <= SUBJECT_CHARS and subject.isascii():
        return subject
    return Truncator(subject).chars(SUBJECT_CHARS, truncate=ellipsis)


def queue_rows(rows: Iterable[QueueColumns], now: datetime) -> list[QueueRow]:
    """The page's rows from their columns, the service level of each as `selectors.sla_of` says."""
    types, priorities, statuses, slas = labels(RequestType), labels(Priority), labels(Status), sla_labels()
    # Each row's words translated once per page, not once per row (a gettext costs a few µs).
    select, late, left = _("Select %(number)s"), _("%(duration)s late"), _("%(duration)s left")
    hours = _("%(hours)s h %(minutes)02d min")
    ellipsis = pgettext(*_TRUNCATION)  # what Truncator would look up twice per row
    zones: dict[str, ZoneInfo] = {}
    calendars: dict[tuple[str, str], BusinessCalendar] = {}
    built = []
    for item in rows:
        number = item.number
        country = item.organisation__country
        place = (country, item.organisation__province or "")

        def calendar(place: tuple[str, str] = place) -> BusinessCalendar:
            if place not in calendars:
                calendars[place] = calendar_for(place[0], place[1] or None)
            return calendars[place]

        sla = sla_view(item, calendar, now)
        sla_text = ""
        if sla.remaining is not None:
            duration = business_duration(sla.remaining, hours)
            sla_text = (late if sla.state == "breached" else left) % {"duration": duration}
        due_iso = due_text = ""
        if sla.due:
            zone = zones.get(country) or zones.setdefault(country, centre_zone(country))
            due_iso, due_text = zoned_texts(sla.due, zone)
        assignee = shown_name(item.assignee__first_name, item.assignee__last_name, item.assignee__email) or ""
        built.append(
            QueueRow(
                number=number,
                url=url_for("support_console:detail", {"number": number}),
                select_label=select % {"number": number},
                subject=subject_text(item.subject, ellipsis),
                organisation=item.organisation__name,
                country=country,
                type=types.get(item.type, item.type),
                priority=priorities.get(item.priority, item.priority),
                status=statuses.get(item.status, item.status),
                status_css=STATUS_CSS.get(item.status, "text-bg-secondary"),  # type: ignore[call-overload]
                assignee=assignee,
                sla_state=sla.state,
                sla_css=SLA_CSS.get(sla.state, "text-bg-secondary"),
                sla_label=slas.get(sla.state, sla.state),
                sla_text=sla_text,
                due_iso=due_iso,
                due_text=due_text,
            )
        )
    return built
