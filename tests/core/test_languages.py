"""Dutch as a fourth language: which country offers which language, where an anonymous Fleming lands,
the switcher, the registration and profile forms, and a Belgian who reads Dutch in a French-speaking
organisation."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import User
from guichet.core.languages import languages_for
from tests.accounts.factories import OrganisationFactory, grant_all, make_member
from tests.accounts.test_registration import VALID, signup

pytestmark = pytest.mark.django_db


def switcher_codes(html: str) -> list[str]:
    select = re.search(r'<select id="language-switch".*?</select>', html, re.S)
    assert select, "no language switcher"
    return re.findall(r'<option value="([a-z]+)"', select.group(0))


@pytest.mark.parametrize(
    ("country", "codes"), [("BE", ("fr", "nl", "en")), ("CA", ("fr", "en")), ("RO", ("ro", "en"))]
)
def test_each_country_offers_its_languages(country: str, codes: tuple[str, ...]) -> None:
    assert languages_for(country) == codes


def test_an_anonymous_fleming_lands_on_nl_with_the_belgian_centre(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9,en;q=0.5")
    assert response.status_code == 302 and response["Location"] == "/nl/"
    page = client.get("/nl/", HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    assert '<html lang="nl"' in page
    assert "Supportcentrum, België:" in page
    assert switcher_codes(page) == ["fr", "nl", "en"]


@pytest.mark.parametrize(("language", "codes"), [("ro", ["ro", "en"]), ("en", ["fr", "en"])])
def test_the_switcher_follows_the_readers_country(client, language: str, codes: list[str]) -> None:  # type: ignore[no-untyped-def]
    # Without an organisation the interface language suggests the country: ro → Romania, en → Canada.
    assert switcher_codes(client.get(f"/{language}/").content.decode()) == codes


def test_the_switcher_keeps_a_language_the_country_does_not_offer(client) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    session["country"] = "RO"
    session.save()
    assert switcher_codes(client.get("/nl/").content.decode()) == ["ro", "en", "nl"]


def test_a_belgian_registers_in_dutch(client) -> None:  # type: ignore[no-untyped-def]
    response = signup(client, language="nl", email="jan@voorbeeld.be")
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email="jan@voorbeeld.be")
    assert (user.country, user.language) == ("BE", "nl")
    assert user.memberships.get().organisation.language == "nl"


def test_dutch_is_not_offered_in_canada(client) -> None:  # type: ignore[no-untyped-def]
    with translation.override("nl"):
        url = reverse("account_signup")
    response = client.post(url, {**VALID, "country": "CA", "phone": "(514) 555-0133", "language": "nl"})
    assert response.status_code == 200
    assert response.context["form"].errors["language"] == [
        "Kies een taal die in Canada wordt aangeboden: Frans, Engels."
    ]
    assert not User.objects.exists()


def test_a_belgian_can_prefer_dutch(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    """The profile keeps every language (someone may read one their country does not offer); Dutch is one."""
    client.force_login(customer_a)
    saved = client.post(
        reverse("portal:profile"),
        {"first_name": "Anne", "last_name": "Janssens", "phone": "02 555 12 34", "language": "nl"},
    )
    assert saved.status_code == 302 and saved["Location"] == "/nl/profile/"
    customer_a.refresh_from_db()
    assert customer_a.language == "nl"
    assert client.get("/profile/").url == "/nl/profile/"  # without a prefix, the profile's language


def test_a_dutch_reader_in_a_french_speaking_organisation(client) -> None:  # type: ignore[no-untyped-def]
    """The pages follow the reader (nl); the organisation's documents keep its language (fr)."""
    from datetime import date
    from decimal import Decimal

    from guichet.billing import rules, services
    from guichet.core.tenancy import tenant_scope
    from tests.tools import pdftotext

    organisation = OrganisationFactory(country="BE", language="fr", name="Imprimerie Bilingue SA")
    reader = make_member(organisation, role="admin", language="nl")
    grant_all(reader, organisation)
    with tenant_scope(organisation):
        invoice = services.invoice_issue(
            actor=None,
            organisation=organisation,
            lines=[rules.LineIn("Toner", Decimal("1"), Decimal("1234.57"))],
            issue_date=date(2026, 12, 6),
        )
    client.force_login(reader)
    with translation.override(reader.language):
        page = client.get(reverse("billing:invoices"))
    assert page.status_code == 200 and '<html lang="nl"' in page.content.decode()
    assert "Facturen en creditnota" in page.content.decode()
    text = " ".join(pdftotext(client.get(reverse("billing:invoice_pdf", args=[invoice.number])).content).split())
    assert "Facture" in text and "1 493,83 €" in text.replace("\u202f", " ").replace("\xa0", " "), text
    assert "6 décembre 2026" in text, text


def test_belgiums_vendor_link_is_labelled_in_dutch() -> None:
    from guichet.core.countries import links_for

    [faq] = [p for p in links_for("BE", "nl") if p.kind == "buytech_partner_faq"]
    assert faq.label == "Veelgestelde vragen van SOCIALware"
    # Canada offers no Dutch: a Dutch reader of a Canadian link reads its English label.
    assert {p.label for p in links_for("CA", "nl")} == {p.label for p in links_for("CA", "en")}
