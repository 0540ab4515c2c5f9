"""The interface languages each country offers, in the order its people expect them.

Belgium: French and Dutch (the two languages of its business customers), then English;
Canada: French, English; Romania: Romanian, English. The language switcher and the
registration form offer these, so a newcomer is not offered a language no agent of
their support centre reads; a profile may still pick any language.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import Promise

COUNTRY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "BE": ("fr", "nl", "en"),
    "CA": ("fr", "en"),
    "RO": ("ro", "en"),
}


def languages_for(country: str) -> tuple[str, ...]:
    """The codes `country` offers; an unknown country is offered every interface language."""
    return COUNTRY_LANGUAGES.get(country, tuple(code for code, _name in settings.LANGUAGES))


def language_choices(country: str) -> list[tuple[str, str | Promise]]:
    """(code, name) for a form's select, in the country's order; the names are translated lazily."""
    names = dict(settings.LANGUAGES)
    return [(code, names[code]) for code in languages_for(country)]


def offers(country: str, language: str) -> bool:
    return language in languages_for(country)
