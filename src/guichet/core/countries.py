"""Support centres: the per-country facts every page and article shows."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import SupportCentre, SupportLink, SupportLinkTranslation

_CACHE_KEY = "core:support-centre:{}"
_LINKS_CACHE_KEY = "core:support-links:{}:{}"


# Every page reads its reader's support centre (footer, opening hours) and the console reads one
# per row (each row's business calendar): a shared-cache round trip and an unpickling each time.
# So each process keeps the centres it read for a short while on top of the shared cache. An edit
# forgets them at once in the process that made it and in the shared cache; other processes see it
# within CENTRE_PROCESS_TTL seconds.
CENTRE_PROCESS_TTL = 30.0
_in_process: dict[str, tuple[float, SupportCentre]] = {}


def get_centre(country: str) -> SupportCentre:
    """The support centre of a country (BE, CA, RO); cached until edited (see CENTRE_PROCESS_TTL)."""
    held = _in_process.get(country)
    if held is not None and held[0] > time.monotonic():
        return held[1]
    key = _CACHE_KEY.format(country)
    centre = cache.get(key)
    if centre is None:
        centre = SupportCentre.objects.get(country=country)
        cache.set(key, centre, 300)
    _in_process[country] = (time.monotonic() + CENTRE_PROCESS_TTL, centre)
    return centre


def forget_centres() -> None:
    """Drop this process's copies (an edit does it; tests do it between tests, as they clear the cache)."""
    _in_process.clear()


@receiver([post_save, post_delete], sender=SupportCentre)
def _forget_centre(sender: type, instance: SupportCentre, **kwargs: object) -> None:
    _in_process.pop(instance.country, None)
    cache.delete(_CACHE_KEY.format(instance.country))


@dataclass(frozen=True)
class Pointer:
    """One of the vendor's pages for a country: its name in the reader's language, its address if known."""

    kind: str
    label: str
    url: str


def links_for(country: str, language: str) -> list[Pointer]:
    """The vendor's pointers for `country`, labelled in `language` (else English, else the kind's name)."""
    key = _LINKS_CACHE_KEY.format(country, language)
    pointers = cache.get(key)
    if pointers is None:
        pointers = []
        for link in SupportLink.objects.filter(country=country).prefetch_related("translations"):
            labels = {t.language: t.label for t in link.translations.all()}
            label = labels.get(language) or labels.get("en") or str(link.get_kind_display())
            pointers.append(Pointer(kind=link.kind, label=label, url=link.url))
        cache.set(key, pointers, 300)
    return pointers


@receiver([post_save, post_delete], sender=SupportLink)
@receiver([post_save, post_delete], sender=SupportLinkTranslation)
def _forget_links(sender: type, instance: SupportLink | SupportLinkTranslation, **kwargs: object) -> None:
    country = instance.country if isinstance(instance, SupportLink) else instance.link.country
    cache.delete_many([_LINKS_CACHE_KEY.format(country, code) for code, _name in settings.LANGUAGES])


@dataclass(frozen=True)
class Phone:
    """A phone number shown the way people of that country write it, dialled as E.164."""

    e164: str
    display: str

    @property
    def tel_href(self) -> str:
        return f"tel:{self.e164}"


@lru_cache(maxsize=256)
def phone(number: str, region: str | None = None) -> Phone | None:
    """Display form of a stored number; one phonenumbers does not know keeps its typed form.

    Kept once formatted (a few numbers, each parsed and formatted in ~0.2 ms): the footer of every
    page shows the reader's support centre's."""
    if not number:
        return None
    parsed = phonenumbers.parse(number, region)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(parsed):
        return Phone(e164=e164, display=number)
    return Phone(e164=e164, display=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))


def centre_phones(centre: SupportCentre) -> list[tuple[str, Phone]]:
    """The centre's numbers that exist, by kind (operations, technical, repair, national, fax)."""
    numbers = (
        ("operations", centre.phone),
        ("technical", centre.technical_phone),
        ("repair", centre.repair_phone),
        ("national", centre.national_phone),
        ("fax", centre.fax),
    )
    return [(kind, formatted) for kind, number in numbers if (formatted := phone(number, centre.country))]


def centre_emails(centre: SupportCentre) -> list[tuple[str, str]]:
    """The centre's e-mail addresses that exist, by what they are for."""
    addresses = (
        ("operations", centre.support_email),
        ("servicepac", centre.servicepac_email),
        ("licence", centre.licence_email),
        ("buytech", centre.buytech_email),
    )
    return [(kind, address) for kind, address in addresses if address]


def world_countries() -> list[tuple[str, str]]:
    """Every ISO 3166-1 country as (code, name in the active language), sorted by name (django-countries)."""
    from django_countries import countries

    return [(country.code, str(country.name)) for country in countries]


def is_world_country(code: str) -> bool:
    from django_countries import countries

    return bool(code) and code.upper() in countries


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in `language` (the active one by default); an unknown code stays as it is."""
    from django.utils import translation
    from django_countries import countries

    with translation.override(language or translation.get_language()):
        return str(countries.name(code.upper())) or code
