"""Postal addresses in each country's order, for pages, e-mails and PDFs alike.

Canada writes the street, then "CITY PROVINCE  POSTAL CODE" on one line (Canada Post's order: the
province's two letters, two spaces, the postal code); Belgium and Romania write the street, then
"postcode city". A model with an address exposes `postal_lines` (a list of lines built here), and
templates show it with the `address` filter (`core/templatetags/locale_ui.py`).
"""

from __future__ import annotations

from typing import Protocol


class HasPostalAddress(Protocol):
    @property
    def postal_lines(self) -> list[str]: ...


def postal_lines(*, street: str, postcode: str, city: str, country: str, province: str = "") -> list[str]:
    if country == "CA":
        locality = "  ".join(filter(None, (" ".join(filter(None, (city, province))), postcode)))
    else:
        locality = " ".join(filter(None, (postcode, city)))
    return [line for line in (street, locality) if line]


def one_line(lines: list[str]) -> str:
    """The lines joined for a table cell or a sentence: "Rue Haute 1, 1000 Bruxelles"."""
    return ", ".join(lines)
