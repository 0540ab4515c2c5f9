"""The home page's "Recent activity": the organisation's last steps across the applications the
reader was granted (the case index's timeline, core/case_selectors.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.core import case_selectors
from guichet.core.rows import moment

from .access import case_reader

SIZE = 10


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    event: str
    event_label: Any
    kind_label: Any
    number: str
    title: str
    status_label: Any
    url: str
    at_iso: str  # in the active zone, as `{{ at|date:"c" }}` printed it
    at_text: str
    said: str  # what the step did, in words


def _said(event: str, status_label: Any) -> str:
    if event == "notified":
        return _("E-mail sent")
    if event == "opened":
        return _("Opened")
    return _("Now: %(status)s") % {"status": status_label}


def recent_activity_for(request: HttpRequest) -> list[TimelineRow]:
    """Empty for a visitor, an agent or a person without an organisation."""
    organisation = getattr(request, "organisation", None)
    if organisation is None or getattr(request, "membership", None) is None:
        return []
    steps = case_selectors.recent_activity(organisation.pk, case_reader(request), size=SIZE)
    return [
        TimelineRow(
            at=step.at,
            event=step.event,
            event_label=step.get_event_display(),
            kind_label=case_selectors.kind_label(step.kind),
            number=step.case.number,
            title=step.case.title,
            status_label=step.get_status_display(),
            url=case_selectors.url_of(step.case),
            at_iso=timezone.localtime(step.at).isoformat(),
            at_text=moment(step.at, "short"),
            said=_said(step.event, step.get_status_display()),
        )
        for step in steps
    ]
