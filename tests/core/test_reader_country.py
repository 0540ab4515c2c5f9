"""An anonymous visitor's country: their choice (remembered in a cookie), else their browser's region."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.core.context_processors import COUNTRY_COOKIE, country_from_accept_language

pytestmark = pytest.mark.django_db


def test_the_region_of_accept_language_names_the_country() -> None:
    assert country_from_accept_language("fr-CA,fr;q=0.9,en;q=0.8") == "CA"
    assert country_from_accept_language("en-GB,en;q=0.9,ro-RO;q=0.5") == "RO"
    assert country_from_accept_language("fr,en;q=0.5") is None
    assert country_from_accept_language("") is None


def test_a_quebec_browser_on_the_french_site_gets_the_canadian_centre_and_a_chooser() -> None:
    client = Client(headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    with translation.override("fr"):
        home = reverse("help:contact")
    page = client.get(home)
    assert page.context["centre"].country == "CA"  # not Belgium, which /fr/ alone would suggest
    assert 'data-testid="country-chooser"' in page.content.decode()


def test_the_chosen_country_is_remembered_in_a_cookie() -> None:
    client = Client(headers={"Accept-Language": "fr-CA"})
    with translation.override("fr"):
        contact = reverse("help:contact")
    chosen = client.get(contact, {"country": "RO"})
    assert chosen.cookies[COUNTRY_COOKIE].value == "RO"
    fresh = Client(headers={"Accept-Language": "fr-CA"})
    fresh.cookies[COUNTRY_COOKIE] = "RO"
    assert fresh.get(contact).context["centre"].country == "RO"
    assert client.get(contact, {"country": "XX"}).status_code == 400
