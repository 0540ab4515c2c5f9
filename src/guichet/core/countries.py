"""Support centres: the per-country facts every page and article shows."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import SupportCentre

_CACHE_KEY = "core:support-centre:{}"


def get_centre(country: str) -> SupportCentre:
    """The support centre of a country (BE, CA, RO); cached until edited."""
    key = _CACHE_KEY.format(country)
    centre = cache.get(key)
    if centre is None:
        centre = SupportCentre.objects.get(country=country)
        cache.set(key, centre, 300)
    return centre


@receiver([post_save, post_delete], sender=SupportCentre)
def _forget_centre(sender: type, instance: SupportCentre, **kwargs: object) -> None:
    cache.delete(_CACHE_KEY.format(instance.country))


@dataclass(frozen=True)
class Phone:
    """A phone number shown the way people of that country write it, dialled as E.164."""

    e164: str
    display: str

    @property
    def tel_href(self) -> str:
        return f"tel:{self.e164}"


def phone(number: str, region: str | None = None) -> Phone | None:
    """Display form of a stored number; one phonenumbers does not know keeps its typed form."""
    if not number:
        return None
    parsed = phonenumbers.parse(number, region)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(parsed):
        return Phone(e164=e164, display=number)
    return Phone(e164=e164, display=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
