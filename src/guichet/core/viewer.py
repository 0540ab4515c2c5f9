"""Whose clock a page is read on: times are shown in the viewer's zone, never UTC.

A customer reads on their organisation's clock (its centre's zone; a Canadian organisation its
province's, as the business calendar does); an agent on their own (`time_zone`, else their country's
centre); an administrator without either, and an anonymous visitor, on UTC.
"""

from __future__ import annotations

from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .calendar import Located, calendar_for, calendar_of

UTC = ZoneInfo("UTC")


class Viewer(Protocol):
    country: str
    time_zone: str


def validate_time_zone(value: str) -> None:
    if value and value not in available_timezones():
        raise ValidationError(_("Choose a time zone from the list (Region/City, e.g. Europe/Brussels)."))


def zone_of(viewer: Viewer | None, organisation: Located | None, *, staff: bool) -> ZoneInfo:
    if staff and viewer is not None:
        if viewer.time_zone:
            try:
                return ZoneInfo(viewer.time_zone)
            except ZoneInfoNotFoundError:
                pass  # a zone the system no longer knows: their country's centre instead
        return calendar_for(viewer.country).tz if viewer.country else UTC
    if organisation is not None:
        return calendar_of(organisation).tz
    return UTC
