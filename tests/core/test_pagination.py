"""Lists page by the settings' sizes; the one pagination partial keeps the list's filters in its links."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from guichet.core.pagination import page_of, page_size
from tests.accounts.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_list_takes_its_own_size_or_the_default(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_SIZE = 7
    settings.PAGE_SIZES = {"machines": 3}
    assert page_size("machines") == 3
    assert page_size("contracts") == 7


def test_a_wrong_page_number_gives_a_page_not_an_error(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_SIZES = {"numbers": 4}
    numbers = list(range(10))
    assert list(page_of(RequestFactory().get("/?page=x"), "numbers", numbers)) == [0, 1, 2, 3]
    assert list(page_of(RequestFactory().get("/?page=99"), "numbers", numbers)) == [8, 9]


def test_the_partial_shows_where_you_are_and_keeps_the_filters(client, administrator, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_SIZES = {"organisations_console": 2}
    for n in range(5):
        OrganisationFactory(name=f"Zeta Print {n}")
    client.force_login(administrator)
    html = client.get(reverse("console:organisations"), {"q": "Zeta", "page": 2}).content.decode()
    assert "Page 2 of 3" in html
    assert 'href="?q=Zeta&amp;page=1">Previous</a>' in html
    assert 'href="?q=Zeta&amp;page=3">Next</a>' in html
    assert html.count("Zeta Print") == 2
