"""What every page's layout needs from the kernel: the reader's support centre and whether it is open."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.text import capfirst

from .calendar import calendar_for
from .countries import get_centre, phone
from .languages import languages_for
from .models import Country, SupportCentre

# Without an organisation, a chosen country or a region in the browser's languages, the interface
# language suggests one.
_COUNTRY_BY_LANGUAGE = {"ro": "RO", "fr": "BE", "nl": "BE", "en": "CA"}
# The country an anonymous visitor picked in the footer's chooser, kept a year.
COUNTRY_COOKIE = "guichet_country"
COUNTRY_COOKIE_AGE = 365 * 24 * 3600


def country_from_accept_language(header: str) -> str | None:
    """The first region of the visitor's languages that has a support centre (`fr-CA` → `CA`)."""
    for part in header.split(","):
        tag = part.split(";")[0].strip().replace("_", "-")
        region = tag.split("-")[1].upper() if "-" in tag else ""
        if region in Country.values:
            return region
    return None


def reader_country(request: HttpRequest) -> str:
    """The country whose support centre the reader deals with: never guessed from the URL's language
    while the visitor has said or shown more (their choice, their browser's region)."""
    organisation = getattr(request, "organisation", None)
    if organisation is not None:
        return organisation.country
    chosen = request.session.get("country") if hasattr(request, "session") else None
    if chosen in Country.values:
        return str(chosen)
    remembered = request.COOKIES.get(COUNTRY_COOKIE)
    if remembered in Country.values:
        return str(remembered)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.country in Country.values:
        return str(user.country)
    region = country_from_accept_language(request.headers.get("Accept-Language", ""))
    if region:
        return region
    return _COUNTRY_BY_LANGUAGE.get((translation.get_language() or "en")[:2], "BE")


def interface_languages(request: HttpRequest) -> dict[str, Any]:
    """The language switcher's (code, name in that language): those the reader's country offers, and the
    current one if it is not among them."""
    codes = list(languages_for(reader_country(request)))
    current = (translation.get_language() or "en").split("-")[0]
    if current not in codes:
        codes.append(current)
    return {"interface_languages": [(code, _name_local(code)) for code in codes]}


@lru_cache(maxsize=16)
def _name_local(code: str) -> str:
    return capfirst(translation.get_language_info(code)["name_local"])


def centre_status(centre: SupportCentre, subdivision: str | None = None) -> dict[str, Any]:
    calendar = calendar_for(centre.country, subdivision)
    now = timezone.now()
    is_open = calendar.is_open(now)
    return {
        "open_now": is_open,
        "closes_at": calendar.closing_time(now) if is_open else None,
        "next_opening": None if is_open else calendar.next_opening(now),
        "tz": centre.timezone,
    }


def support_centre(request: HttpRequest) -> dict[str, Any]:
    """The support centre the reader deals with, for the footer and the contact blocks."""
    organisation = getattr(request, "organisation", None)
    try:
        centre = get_centre(reader_country(request))
    except SupportCentre.DoesNotExist:
        return {}  # the pages still work; only the support centre's block is left out
    return {
        "centre": centre,
        "countries": Country.choices,  # the footer's country chooser
        "centre_phone": phone(centre.phone),
        # Open or closed now is said only where the vendor publishes its opening hours.
        "centre_status": centre_status(centre, getattr(organisation, "province", None) or None)
        if centre.hours_published
        else None,
    }
