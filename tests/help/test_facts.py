"""Every fact right (issue 14): what the help articles state is the support-centre data, and their promises exist.

- Every article, in every language and every country it applies to, states no phone, e-mail
  address or web address that is not the support centre's (or its links'), and its own links lead
  to pages that exist.
- The articles' sources type no vendor fact: placeholders only.
- The launch data is the seeds' (shared/seeds/), verbatim; a fact the seeds do not give is empty
  and its line is hidden everywhere.
- Each button or form an article names exists, under that name, in that language.
"""

from __future__ import annotations

import html as htmllib
import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import get_language_from_path

from guichet.core.countries import links_for
from guichet.core.models import SupportCentre, SupportLink
from guichet.help.content import CONTENT_DIR, bundled_topics
from guichet.help.models import ArticleTranslation
from guichet.help.rendering import render_body

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "ro", "nl")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+")
HREF = re.compile(r'href="([^"]*)"')
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
PACKAGE = Path(settings.BASE_DIR) / "src" / "guichet"


# --- what the support centre knows -----------------------------------------------------------------


def centre_facts(country: str) -> tuple[set[str], set[str], set[str]]:
    """Phones (E.164), e-mail addresses and web addresses the support centre of `country` has."""
    centre = SupportCentre.objects.get(country=country)
    phones = set()
    for number in (centre.phone, centre.technical_phone, centre.repair_phone, centre.national_phone, centre.fax):
        if number:
            parsed = phonenumbers.parse(number, country)
            phones.add(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    emails = {
        address
        for address in (centre.support_email, centre.servicepac_email, centre.licence_email, centre.buytech_email)
        if address
    }
    urls = {link.url for link in SupportLink.objects.filter(country=country) if link.url}
    return phones, emails, urls


def stray_facts(html: str, country: str) -> list[str]:
    """What a rendered article states that is not in the support centre's data, or links nowhere."""
    phones, emails, urls = centre_facts(country)
    problems = []
    for href in HREF.findall(html):
        href = htmllib.unescape(href)
        if href.startswith("tel:"):
            if href[4:] not in phones:
                problems.append(f"phone link {href}")
        elif href.startswith("mailto:"):
            if href[7:] not in emails:
                problems.append(f"e-mail link {href}")
        elif href.startswith(("http://", "https://")):
            if href not in urls:
                problems.append(f"web link {href}")
        elif href.startswith("/"):
            path = urlsplit(href).path
            try:
                with translation.override(get_language_from_path(path) or "en"):
                    resolve(path)
            except Resolver404:
                problems.append(f"dead link {href}")
        else:
            problems.append(f"odd link {href}")
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", html))
    for match in phonenumbers.PhoneNumberMatcher(text, country, leniency=phonenumbers.Leniency.VALID):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in phones:
            problems.append(f"phone {match.raw_string}")
    problems += [f"e-mail {m}" for m in EMAIL.findall(text) if m not in emails]
    problems += [f"web address {m}" for m in WEB.findall(text) if m.rstrip(".,;") not in urls]
    if "{{" in html or "}}" in html:
        problems.append("unfilled placeholder")
    return problems


def test_the_checker_catches_a_typed_phone_an_address_and_a_dead_link() -> None:
    """The walk below can fail: an invented number, e-mail, site or page is reported."""
    body = (
        "Call +32 2 340 00 00 or write to help@vendor.example, see https://vendor.example/help "
        "and [this page](/en/nowhere/). Our real number: {{ phone }}."
    )
    problems = stray_facts(render_body(body, country="BE", language="en"), "BE")
    assert any(p.startswith("phone +32 2 340 00 00") for p in problems)
    assert "e-mail help@vendor.example" in problems
    assert "web address https://vendor.example/help" in problems
    assert "dead link /en/nowhere/" in problems
    assert not any("339" in p for p in problems)  # the centre's own number is fine


def test_every_article_in_every_language_and_country_states_only_support_centre_facts() -> None:
    """The help centre as readers see it (the stored translations, as the pages and API render them)."""
    checked = 0
    problems = []
    for translation_row in ArticleTranslation.objects.select_related("article").filter(language__in=LANGUAGES):
        for country in translation_row.article.countries:
            html = render_body(translation_row.body, country=country, language=translation_row.language)
            problems += [
                f"{translation_row.article.slug} [{translation_row.language}/{country}]: {p}"
                for p in stray_facts(html, country)
            ]
            checked += 1
    assert checked >= 49 * 4 and not problems, "\n".join(problems)
    # Dutch included: every topic, in every country it applies to.
    assert {(row.article.slug, row.language) for row in ArticleTranslation.objects.filter(language="nl")} == {
        (topic.slug, "nl") for topic in bundled_topics()
    }


def test_local_time_is_said_once_never_in_nested_brackets() -> None:
    """ "(heure locale)" comes with the hours: an article puts the hours in no brackets of its own."""
    doubled = []
    for row in ArticleTranslation.objects.select_related("article").filter(language__in=LANGUAGES):
        for country in row.article.countries:
            text = re.sub(r"<[^>]+>", "", render_body(row.body, country=country, language=row.language))
            if re.search(r"\((local time|heure locale|ora locală|lokale tijd)\)\)", text):
                doubled.append(f"{row.article.slug} [{row.language}/{country}]")
    assert not doubled, doubled


def test_the_article_sources_type_no_vendor_fact() -> None:
    """Phones, e-mail and web addresses come from placeholders, never from the Markdown."""
    typed = []
    for path in sorted(CONTENT_DIR.glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        typed += [f"{path.name}: {m}" for m in EMAIL.findall(text) + WEB.findall(text)]
        for region in ("BE", "CA", "RO"):
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                typed.append(f"{path.parent.name}/{path.name}: {match.raw_string}")
    assert not typed, "\n".join(typed)


def test_the_article_page_and_the_api_render_the_same_checked_html(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("help:contact"), {"country": "CA"})
    assert page.status_code == 200
    article = client.get("/api/v1/help/articles/repair-service", {"lang": "fr", "country": "CA"}).json()
    assert not stray_facts(article["html"], "CA")
    assert 'href="tel:+18004267378"' in article["html"]


# --- the launch data is the seeds' -----------------------------------------------------------------


@cache
def seeds_text() -> str:
    if not SEEDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the source FAQs are missing: {SEEDS}")
        pytest.skip(f"the source FAQs are not beside the repository ({SEEDS})")
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text.replace("(0)", "").replace("(0 )", ""))


def test_every_vendor_fact_of_the_launch_data_is_in_the_seeds() -> None:
    seeds = seeds_text()
    seed_digits = {_digits(m) for m in re.findall(r"\+?\d[\d ()\-]{6,}\d", seeds)}
    for centre in SupportCentre.objects.all():
        for number in (centre.phone, centre.technical_phone, centre.repair_phone, centre.fax):
            if number:
                assert _digits(number) in seed_digits, (centre.country, number)
        if centre.national_phone:
            assert centre.national_phone in seeds
        for address in (centre.support_email, centre.servicepac_email, centre.licence_email, centre.buytech_email):
            if address:
                assert address in seeds, (centre.country, address)
        for line in centre.notice_lines:
            assert line in seeds, (centre.country, line)
    for link in SupportLink.objects.exclude(url=""):
        assert link.url in seeds, link


def test_what_the_seeds_do_not_give_is_empty() -> None:
    belgium, canada, romania = (SupportCentre.objects.get(country=c) for c in ("BE", "CA", "RO"))
    assert not canada.hours_published and canada.notice_address == ""  # no Canadian hours, no notice address
    assert belgium.technical_phone == romania.technical_phone == ""  # no technical line for BE/RO
    assert belgium.repair_phone == romania.repair_phone == ""
    for centre in (belgium, canada, romania):
        assert centre.support_email == ""  # no general operations e-mail in any seed
    assert belgium.notice_lines[0] == "IBM Belgium" and romania.notice_lines[0] == "IBM Romania SRL"
    assert romania.notice_lines[-1] == "Romania"
    assert canada.repair_phone == "+18004267378" != canada.phone


# --- an empty fact hides its line everywhere -----------------------------------------------------


def test_canada_shows_no_hours_no_notice_address_and_no_invented_address(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("help:contact"), {"country": "CA"}).content.decode()
    assert 'data-testid="opening-hours"' not in page and 'data-testid="contact-open-status"' not in page
    assert 'data-testid="notice-address"' not in page and 'data-testid="open-status"' not in page  # footer too
    assert 'href="tel:+18004267378" data-testid="phone-repair"' in page
    assert "guichet.example" not in page
    api = client.get("/api/v1/help/contact", {"country": "CA", "lang": "fr"}).json()
    assert api["opens_at"] is None and api["notice_address"] == "" and api["emails"] == []
    assert {"kind": "support_plan", "label": api["links"][1]["label"], "url": "http://www.ibm.com/support/"} in api[
        "links"
    ]
    for lang in LANGUAGES:
        body = ArticleTranslation.objects.get(article__slug="contact-support", language=lang).body
        html = render_body(body, country="CA", language=lang)
        assert "08:" not in html and "09:" not in html  # no hours line at all


def test_belgium_and_romania_show_their_hours_addresses_fax_and_e_mails(client) -> None:  # type: ignore[no-untyped-def]
    belgium = client.get(reverse("help:contact", kwargs=None), {"country": "BE"}).content.decode()
    assert "IBM Belgium<br>Customer Support Online Team<br>Avenue du Bourget 42<br>1130 Bruxelles" in belgium
    # The hours in the page's language (English: "8:30 AM"), from the centre's data (08:30).
    assert 'data-testid="opening-hours"' in belgium and "8:30\u202fAM" in belgium
    assert 'data-testid="email-servicepac">ePacbelx_support@be.ibm.com' in belgium
    assert 'data-testid="email-buytech">garsepp@hu.ibm.com' in belgium
    romania = client.get(reverse("help:contact"), {"country": "RO"}).content.decode()
    assert "IBM Romania SRL<br>Bucharest Business Park" in romania and "013681, Bucharest 1<br>Romania" in romania
    assert 'data-testid="phone-fax">021 405 8101' in romania
    assert 'data-testid="email-licence">admin@ro.ibm.com' in romania
    assert 'data-testid="phone-technical"' not in romania  # no technical line in the Romanian seed


def test_an_emptied_field_disappears_from_articles_footer_contact_page_and_api(client) -> None:  # type: ignore[no-untyped-def]
    SupportCentre.objects.filter(country="BE").update(servicepac_email="", hours_published=False)
    centre = SupportCentre.objects.get(country="BE")
    centre.save()  # the admin's save: forgets the cached centre
    html = render_body(
        ArticleTranslation.objects.get(article__slug="activate-servicepac", language="fr").body,
        country="BE",
        language="fr",
    )
    assert "ServicePac question" not in html and "écrivez à" not in html and "mailto:" not in html
    page = client.get(reverse("help:contact"), {"country": "BE"}).content.decode()
    assert "ePacbelx_support" not in page and 'data-testid="open-status"' not in page
    assert client.get("/api/v1/help/contact", {"country": "BE"}).json()["open_now"] is None


def test_a_link_address_added_in_the_admin_becomes_a_link_in_the_articles() -> None:
    link = SupportLink.objects.get(country="CA", kind="key_management")
    html = render_body(
        ArticleTranslation.objects.get(article__slug="software-keys", language="fr").body, country="CA", language="fr"
    )
    assert "Centre de service de gestion des clés (en anglais)" in html and "keys.example" not in html
    link.url = "https://keys.example/"
    link.save()
    html = render_body(
        ArticleTranslation.objects.get(article__slug="software-keys", language="fr").body, country="CA", language="fr"
    )
    label = "Centre de service de gestion des clés (en anglais)"
    assert f'<a href="https://keys.example/" rel="noopener">{label}</a>' in html
    # A pointer of the Canadian seed is not shown to a Belgian reader.
    assert "gestion des clés" not in render_body(
        ArticleTranslation.objects.get(article__slug="software-keys", language="fr").body, country="BE", language="fr"
    )


# --- item 12: the pointers the seeds give --------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_canada_gets_every_pointer_of_its_seeds(language: str) -> None:
    pointers = {link.kind: link.label for link in links_for("CA", language)}
    for slug, kind in [
        ("servicepac-information", "servicepac_info"),
        ("software-keys", "key_management"),
        ("passport-advantage-products", "passport_advantage"),
        ("technical-support-portal", "support_portal"),
        ("recycle-product", "recycling"),
        ("appliance-support", "appliance_handbook"),
        ("customer-support-plan", "operations_website"),
        ("customer-support-plan", "support_plan"),
    ]:
        body = ArticleTranslation.objects.get(article__slug=slug, language=language).body
        html = render_body(body, country="CA", language=language)
        assert htmllib.escape(pointers[kind], quote=False) in html, (slug, kind)
    plan = ArticleTranslation.objects.get(article__slug="customer-support-plan", language=language)
    assert plan.article.countries == ["CA"]
    html = render_body(plan.body, country="CA", language=language)
    assert 'href="http://www.ibm.com/support/operations"' in html and 'href="tel:+18668802765"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_belgian_buy_tech_articles_point_to_the_partners_faq_and_the_vendors_e_mail(language: str) -> None:
    faq = {link.kind: link.label for link in links_for("BE", language)}["buytech_partner_faq"]
    for slug in ("buytech-what-is", "buytech-eligibility"):
        body = ArticleTranslation.objects.get(article__slug=slug, language=language).body
        assert faq in render_body(body, country="BE", language=language)
    for slug in ("buytech-warranty", "buytech-cancelled-after-payment"):
        body = ArticleTranslation.objects.get(article__slug=slug, language=language).body
        assert 'href="mailto:garsepp@hu.ibm.com"' in render_body(body, country="BE", language=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_romanian_notices_name_the_fax_and_the_company(language: str) -> None:
    body = ArticleTranslation.objects.get(article__slug="terminate-maintenance-contract", language=language).body
    romania = render_body(body, country="RO", language=language)
    assert "021 405 8101" in romania and "IBM Romania SRL, Bucharest Business Park" in romania
    canada = render_body(body, country="CA", language=language)
    assert "IBM" not in canada and "8101" not in canada  # no Canadian notice address, no fax
    belgium = render_body(body, country="BE", language=language)
    assert "IBM Belgium, Customer Support Online Team, Avenue du Bourget 42, 1130 Bruxelles" in belgium


# --- items 4, 6, 9, 10, 3: what the articles say --------------------------------------------------------

PHRASES = {
    # item 4: the vendor's contracts representative authorises Contracts online
    "contracts-online-access": {
        "en": "vendor's contracts representative",
        "fr": "représentant des contrats du fournisseur",
        "ro": "Reprezentantul Contracte al furnizorului",
        "nl": "contractvertegenwoordiger van de leverancier",
    },
    # item 6: destroyed at the cancellation, confirmed in the portal
    "terminate-software-licence": {
        "en": "Then destroy every copy",
        "fr": "Détruisez alors toutes les copies",
        "ro": "Distrugeți atunci toate copiile",
        "nl": "Vernietig dan alle kopieën",
    },
    # item 3: no quota, the stock is the limit
    "buytech-quota": {"en": "in stock", "fr": "en stock", "ro": "stocul", "nl": "in voorraad"},
    # item 10: any country the vendor serves; the portal's own rules
    "appliance-cross-border-move": {
        "en": "not the vendor's policy",
        "fr": "non politique du fournisseur",
        "ro": "nu politica furnizorului",
        "nl": "niet het beleid van de leverancier",
    },
}


# Item 1: the fee to the partner first, then the vendor (2 Belgian business days), then the price to the vendor.
BUYTECH_PAYMENT_ARTICLES = (
    "buytech-what-is",
    "buytech-admin-fee",
    "buytech-when-pay",
    "buytech-payment-to-vendor",
    "buytech-after-order",
)
BELGIAN_BUSINESS_DAYS = {
    "en": "2 Belgian business days",
    "fr": "2 jours ouvrables belges",
    "ro": "2 zile lucrătoare belgiene",
    "nl": "2 Belgische werkdagen",
}
PRICE_TO_THE_VENDOR = {"en": "price", "fr": "prix", "ro": "prețul", "nl": "prijs"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_buy_tech_articles_tell_the_same_two_payments(language: str) -> None:
    for slug in BUYTECH_PAYMENT_ARTICLES:
        text = render_body(
            ArticleTranslation.objects.get(article__slug=slug, language=language).body, country="BE", language=language
        )
        assert BELGIAN_BUSINESS_DAYS[language] in text, slug
        fee = text.index("SOCIALware")
        # The fee is paid before the vendor's confirmation, the price after it.
        assert fee < text.index(BELGIAN_BUSINESS_DAYS[language]) < text.rindex(PRICE_TO_THE_VENDOR[language]), slug


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_articles_say_what_the_seeds_and_the_code_do(language: str) -> None:
    for slug, by_language in PHRASES.items():
        body = ArticleTranslation.objects.get(article__slug=slug, language=language).body
        country = "BE" if slug.startswith("buytech") else "CA"
        assert by_language[language] in render_body(body, country=country, language=language), slug
    access = ArticleTranslation.objects.get(article__slug="contracts-online-access", language=language).body
    assert {
        "en": "A representative of your organisation",
        "fr": "Un représentant de votre organisation",
        "ro": "Un reprezentant al organizației",
        "nl": "Een vertegenwoordiger van uw organisatie",
    }[language] not in access
    licence = ArticleTranslation.objects.get(article__slug="terminate-software-licence", language=language).body
    # The portal records the confirmation: Belgium and Canada are not told to e-mail it anywhere.
    for country in ("BE", "CA"):
        assert "mailto:" not in render_body(licence, country=country, language=language)
    assert 'href="mailto:admin@ro.ibm.com"' in render_body(licence, country="RO", language=language)
    move = render_body(
        ArticleTranslation.objects.get(article__slug="appliance-cross-border-move", language=language).body,
        country="CA",
        language=language,
    )
    assert f" {settings.RELOCATION_MIN_LEAD_BUSINESS_DAYS} " in move
    assert f" {settings.RELOCATION_EVALUATE_BUSINESS_DAYS} " in move


@pytest.mark.parametrize("language", LANGUAGES)
def test_canadian_repairs_by_phone_use_the_repair_line(language: str) -> None:
    body = ArticleTranslation.objects.get(article__slug="repair-service", language=language).body
    canada = render_body(body, country="CA", language=language)
    assert 'href="tel:+18004267378"' in canada
    for country in ("BE", "RO"):  # their seeds give no repair line: none is offered
        html = render_body(body, country=country, language=language)
        assert "+1800" not in html and "426" not in html


def test_the_relocation_rules_shown_follow_the_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RELOCATION_MIN_LEAD_BUSINESS_DAYS = 12
    body = ArticleTranslation.objects.get(article__slug="appliance-cross-border-move", language="en").body
    assert "at least 12 business days ahead" in render_body(body, country="BE", language="en")


# --- item 11: one Romanian name for My requests ----------------------------------------------------------


def test_romanian_names_my_requests_as_the_seed_does_everywhere() -> None:
    with translation.override("ro"):
        assert translation.gettext("My requests") == "Cererile mele"  # menus, titles, e-mails
        assert translation.gettext("New request") == "Cerere nouă"
    catalogue = (PACKAGE / "locale" / "ro" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    articles = "\n".join(p.read_text(encoding="utf-8") for p in (CONTENT_DIR / "ro").glob("*.md"))
    assert "Solicitările mele" not in catalogue and "Solicitările mele" not in articles
    assert articles.count("Cererile mele") >= 14


# --- items 13 and 14: every button or form an article names exists under that name ---------------------

# "press **X**", "the **X** form": X must be a label the interface really shows, in that language.
NAMED = {
    "en": re.compile(r"(?:press|choose|click) \*\*([^*]+)\*\*|the \*\*([^*]+)\*\* form"),
    "fr": re.compile(r"(?:appuyez sur|choisissez|cliquez sur) \*\*([^*]+)\*\*|le formulaire \*\*([^*]+)\*\*"),
    "ro": re.compile(r"(?:apăsați|alegeți|faceți clic pe) \*\*([^*]+)\*\*|formularul \*\*([^*]+)\*\*"),
    "nl": re.compile(r"(?:\bop|kies) \*\*([^*]+)\*\*|het formulier \*\*([^*]+)\*\*"),
}
# Labels named without such a verb ("with **Withdraw this termination**", "**Save**"): (slug, msgid).
ALSO_NAMED = [
    ("terminate-maintenance-contract", "Withdraw this termination"),
    ("payment-methods", "Save"),
    ("contract-copy", "List of covered machines (PDF)"),
    ("contracts-online-access", "My access"),
    ("contracts-online-access", "My team"),
    ("inventory-question-unanswered", "Change site or contact"),
    ("buytech-cancel-order", "Cancel items"),
    ("add-cancel-services", "Cancel a service"),
    ("invoice-copy", "View and print"),
]


@cache
def msgid_of(language: str) -> dict[str, str]:
    """Interface label in `language` → its English msgid (the catalogue, read as gettext would)."""
    if language == "en":
        return {}
    with (PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalogue = read_po(handle)
    return {str(m.string): str(m.id) for m in catalogue if m.id and isinstance(m.string, str) and m.string}


@cache
def interface_sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for pattern in ("*/templates/**/*.html", "*/views/*.py", "*/views.py")
        for path in PACKAGE.glob(pattern)
    )


def _in_interface(msgid: str) -> bool:
    sources = interface_sources()
    return f'{{% translate "{msgid}"' in sources or f'_("{msgid}")' in sources or f"_('{msgid}')" in sources


def test_every_button_an_article_names_exists_under_that_name_in_that_language() -> None:
    missing = []
    named = 0
    for topic in bundled_topics():
        for language in LANGUAGES:
            body = topic.translations[language].body
            labels = [a or b for a, b in NAMED[language].findall(body)]
            with translation.override(language):
                labels += [translation.gettext(msgid) for slug, msgid in ALSO_NAMED if slug == topic.slug]
            for label in labels:
                msgid = label if language == "en" else msgid_of(language).get(label)
                named += 1
                if msgid is None or not _in_interface(msgid):
                    missing.append(f"{topic.slug} [{language}]: **{label}**")
                    continue
                with translation.override(language):
                    if f"**{translation.gettext(msgid)}**" not in body:
                        missing.append(f"{topic.slug} [{language}]: **{label}** is not the interface's wording")
    assert named > 80 and not missing, "\n".join(missing)


def test_the_named_pages_show_those_buttons(client, customer_no_grant, customer_a) -> None:  # type: ignore[no-untyped-def]
    """A few promises checked on the rendered pages, per language: the label is really on the page."""
    client.force_login(customer_a)
    for language in LANGUAGES:
        with translation.override(language):
            access = client.get(reverse("portal:access")).content.decode()
            assert translation.gettext("Send the request") in access
            options = client.get(reverse("billing:options")).content.decode()
            assert translation.gettext("Save") in options
            invoices = client.get(reverse("billing:invoices")).content.decode()
            assert translation.gettext("Billing options") in invoices
            contracts = client.get(reverse("contracts:list")).content.decode()
            assert translation.gettext("Contracts of a machine") in contracts
            assert translation.gettext("Activate a ServicePac") in contracts
    client.force_login(customer_no_grant)
    for language in LANGUAGES:
        with translation.override(language):
            contact = client.get(reverse("help:contact")).content.decode()
            assert translation.gettext("Ask a question") in contact
            assert translation.gettext("Send the question") in contact
