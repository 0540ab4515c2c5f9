"""Help-centre pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.core.context_processors import centre_status, reader_country
from guichet.core.countries import get_centre, phone
from guichet.core.models import Country


def contact(request: HttpRequest) -> HttpResponse:
    """Whom to call and when, for the reader's country (or the one they pick)."""
    chosen = request.GET.get("country", "")
    if chosen:
        if chosen not in Country.values:
            return render(request, "400.html", status=400)
        request.session["country"] = chosen
    country = reader_country(request) if not getattr(request, "organisation", None) or not chosen else chosen
    centre = get_centre(country)
    phones = [
        (label, phone(number, centre.country))
        for label, number in (
            ("operations", centre.phone),
            ("technical", centre.technical_phone),
            ("national", centre.national_phone),
            ("fax", centre.fax),
        )
        if number
    ]
    organisation = getattr(request, "organisation", None)
    return render(
        request,
        "help/contact.html",
        {
            "contact_centre": centre,
            "phones": phones,
            "status": centre_status(centre, getattr(organisation, "province", None) or None),
            "countries": Country.choices,
        },
    )
