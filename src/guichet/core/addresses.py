"""Postal addresses in each country's order: Canada writes "city province postal code" on one line,
Belgium and Romania "postcode city"."""

from __future__ import annotations


def postal_lines(*, street: str, postcode: str, city: str, country: str, province: str = "") -> list[str]:
    if country == "CA":
        locality = "  ".join(filter(None, (" ".join(filter(None, (city, province))), postcode)))
    else:
        locality = " ".join(filter(None, (postcode, city)))
    return [line for line in (street, locality) if line]
