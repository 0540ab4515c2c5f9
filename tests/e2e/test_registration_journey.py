"""A customer's first day, in a real browser, in French and Dutch (Belgium) and Romanian (Romania).

Register (a refused attempt first), confirm the e-mail through a real SMTP
server, sign in, ask for Invoices; an agent of the same country signs in with
password and TOTP and grants it; the customer is told by e-mail and finds the
application in the navigation, while another application shows the 403 page
that explains how to ask. Every page must pass axe-core with no violation.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import translation
from playwright.sync_api import expect

from guichet.accounts.models import AccessRequest, Application, Consent, Organisation, User
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import PASSWORD, make_agent, totp_secret
from tests.smtp_sink import SmtpSink

CONSENT_ERROR = "We need this consent to create your identity."
ACCOUNTING_NOTE = {"fr": "Pour la comptabilité.", "nl": "Voor de boekhouding.", "ro": "Pentru contabilitate."}
CUSTOMER_PASSWORD = "une phrase de passe solide 42"


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return str(translation.gettext(message))


def totp_now(user: User) -> str:
    """The code the agent's authenticator shows, never one about to expire.

    allauth accepts only the current 30-second step (no tolerance), so a code
    read just before the step ends could be refused by the time it is posted.
    """
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < 3:
        time.sleep(remaining + 0.1)
    return format_hotp_value(hotp_value(totp_secret(user), int(time.time()) // period))


def html_lang(page: Any) -> str:
    return str(page.locator("html").get_attribute("lang"))


def link_in(text: str, path_part: str) -> str:
    match = re.search(rf"https?://\S+{re.escape(path_part)}\S*", text)
    assert match, f"no link containing {path_part!r} in:\n{text}"
    return match.group(0)


def fill_registration(page: Any, *, email: str, country: str, language: str, phone: str) -> None:
    page.fill("#id_email", email)
    page.fill("#id_first_name", "Ioana" if language == "ro" else "Jeanne")
    page.fill("#id_last_name", "Popescu" if language == "ro" else "Martin")
    page.fill("#id_phone", phone)
    page.fill("#id_company_name", f"Imprimerie {country} Test")
    page.fill("#id_customer_number", "")
    page.select_option("#id_country", country)
    page.select_option("#id_language", language)
    page.fill("#id_password1", CUSTOMER_PASSWORD)
    page.fill("#id_password2", CUSTOMER_PASSWORD)


JOURNEYS = [
    pytest.param("fr", "BE", "02 555 12 34", "+3225551234", False, id="fr-BE-desktop"),
    pytest.param("nl", "BE", "03 555 12 34", "+3235551234", True, id="nl-BE-phone"),
    pytest.param("ro", "RO", "021 315 00 44", "+40213150044", True, id="ro-RO-phone"),
]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("lang", "country", "national_phone", "e164_phone", "on_phone"), JOURNEYS)
def test_registration_to_first_granted_application(
    lang: str,
    country: str,
    national_phone: str,
    e164_phone: str,
    on_phone: bool,
    new_context: Callable[..., Any],
    live_server: Any,
    settings: Any,
    smtp_sink: SmtpSink,
    axe_check: Callable[[Any], None],
) -> None:
    settings.SITE_URL = live_server.url  # links in outbox e-mails point at this server
    email = f"new.customer.{lang}@example.com"
    agent = make_agent(country, email=f"agent.{country.lower()}@example.com", language=lang)
    customer = new_context(phone=on_phone, locale=f"{lang}-{country}").new_page()

    # (a) Everything filled but one consent: a per-field error, and nothing saved.
    response = customer.goto(f"/{lang}/accounts/signup/")
    assert response.status == 200
    assert html_lang(customer) == lang
    axe_check(customer)
    fill_registration(customer, email=email, country=country, language=lang, phone=national_phone)
    customer.check("#id_consent_contact")
    assert not customer.is_checked("#id_consent_transfer")
    with customer.expect_navigation():
        customer.click("form[action$='/accounts/signup/'] button[type=submit]")
    assert html_lang(customer) == lang
    error = customer.locator(".form-check:has(#id_consent_transfer) > #id_consent_transfer_error")
    expect(error).to_be_visible()
    expected_error = translated(lang, CONSENT_ERROR)
    assert error.inner_text().strip() == expected_error
    if expected_error != CONSENT_ERROR:  # once the catalogue translates it, English must not leak
        assert CONSENT_ERROR not in customer.content()
    consent = customer.locator("#id_consent_transfer")
    assert consent.get_attribute("aria-invalid") == "true"
    assert "id_consent_transfer_error" in (consent.get_attribute("aria-describedby") or "")
    expect(customer.locator("#id_consent_contact_error")).to_have_count(0)
    # What was typed is kept (passwords aside, by design).
    assert customer.input_value("#id_phone") == national_phone
    assert customer.is_checked("#id_consent_contact")
    assert list(User.objects.values_list("email", flat=True)) == [agent.email]  # no customer row
    assert not Organisation.objects.exists()
    axe_check(customer)

    # (b) Complete the registration; the phone is typed as people write it in the country.
    customer.fill("#id_password1", CUSTOMER_PASSWORD)
    customer.fill("#id_password2", CUSTOMER_PASSWORD)
    customer.check("#id_consent_transfer")
    with customer.expect_navigation():
        customer.click("form[action$='/accounts/signup/'] button[type=submit]")
    assert f"/{lang}/accounts/confirm-email/" in customer.url
    assert html_lang(customer) == lang
    axe_check(customer)
    user = User.objects.get(email=email)
    assert (user.phone, user.country, user.language) == (e164_phone, country, lang)
    assert set(Consent.objects.filter(user=user).values_list("purpose", flat=True)) == {"contact", "transfer"}

    # (c) The verification e-mail arrives over SMTP; its link asks for a confirmation.
    smtp_sink.wait_for(1)
    [verification] = smtp_sink.to(email)
    confirm_url = link_in(SmtpSink.text(verification), "/accounts/confirm-email/")
    assert confirm_url.startswith(live_server.url)
    customer.goto(confirm_url)
    assert html_lang(customer) == lang
    axe_check(customer)
    with customer.expect_navigation():
        customer.click("main form button[type=submit]")
    assert EmailAddress.objects.get(user=user, email=email).verified

    # (d) Confirming leads to the sign-in page, in the same language.
    assert customer.url == f"{live_server.url}/{lang}/accounts/login/"
    assert html_lang(customer) == lang
    axe_check(customer)
    customer.fill("#id_login", email)
    customer.fill("#id_password", CUSTOMER_PASSWORD)
    with customer.expect_navigation():
        customer.click("main form button[type=submit]")
    assert customer.url == f"{live_server.url}/{lang}/"
    assert customer.locator("h1").inner_text().strip().endswith(user.first_name)
    axe_check(customer)
    # The first Tab reaches the skip link, which moves focus to the main content.
    customer.keyboard.press("Tab")
    assert customer.evaluate("document.activeElement.getAttribute('href')") == "#main"
    customer.keyboard.press("Enter")
    assert customer.evaluate("document.activeElement.id") == "main"

    # (e) Ask for Invoices, with the keyboard only from the first field to the submit button.
    customer.goto(f"/{lang}/access/")
    assert html_lang(customer) == lang
    axe_check(customer)
    customer.focus("#id_application")
    customer.select_option("#id_application", Application.INVOICES.value)
    customer.keyboard.press("Tab")
    assert customer.evaluate("document.activeElement.id") == "id_note"
    customer.keyboard.type(ACCOUNTING_NOTE[lang])
    customer.keyboard.press("Tab")
    assert customer.evaluate("document.activeElement.type") == "submit"
    with customer.expect_navigation():
        customer.keyboard.press("Enter")
    assert customer.url.endswith(f"/{lang}/access/")
    expect(customer.locator("tr[data-application=invoices] .badge.text-bg-warning")).to_be_visible()
    with across_organisations():
        assert AccessRequest.objects.filter(user=user, application="invoices", status="pending").count() == 1

    # (f) An agent of the same country, in another browser context: password, then TOTP.
    agent_page = new_context(locale=f"{lang}-{country}").new_page()
    agent_page.goto(f"/{lang}/accounts/login/")
    agent_page.fill("#id_login", agent.email)
    agent_page.fill("#id_password", PASSWORD)
    with agent_page.expect_navigation():
        agent_page.click("main form button[type=submit]")
    assert "/accounts/2fa/authenticate/" in agent_page.url
    assert html_lang(agent_page) == lang
    axe_check(agent_page)
    agent_page.fill("#id_code", totp_now(agent))
    with agent_page.expect_navigation():
        agent_page.click("main form button[type=submit]")
    assert agent_page.url == f"{live_server.url}/{lang}/console/"
    axe_check(agent_page)
    # The console home counts the access requests to decide and leads to them.
    with agent_page.expect_navigation():
        agent_page.locator(f"[data-testid=console-counts] a[href='/{lang}/console/access-requests/']").click()
    card = agent_page.locator("[data-testid=access-request]", has_text=email)
    expect(card).to_have_count(1)
    with agent_page.expect_navigation():
        card.locator("button[name=decision][value=grant]").click()
    assert agent_page.url == f"{live_server.url}/{lang}/console/access-requests/"
    expect(agent_page.locator(".messages .alert-success")).to_be_visible()
    expect(agent_page.locator("[data-testid=access-request]", has_text=email)).to_have_count(0)
    with across_organisations():
        assert AccessRequest.objects.get(user=user, application="invoices").status == "granted"

    # (g) The customer is told by e-mail, and the application opens; another one does not.
    smtp_sink.wait_for(2)
    granted_mail = [m for m in smtp_sink.to(email) if m is not verification]
    assert len(granted_mail) == 1
    invoices_path = f"/{lang}/app/invoices/"
    assert link_in(SmtpSink.text(granted_mail[0]), invoices_path) == f"{live_server.url}{invoices_path}"

    customer.reload()
    expect(customer.locator("tr[data-application=invoices] .badge.text-bg-success")).to_be_visible()
    # The e-mail's link is the application's stable address; the menu goes straight to My invoices.
    billing_path = f"/{lang}/billing/"
    nav_link = customer.locator(f"#main-nav a.nav-link[href='{billing_path}']")
    expect(nav_link).to_have_count(1)
    toggler = customer.locator(".navbar-toggler")
    if toggler.is_visible():  # phone: the navigation is collapsed behind the menu button
        assert not nav_link.is_visible()
        toggler.click()
        nav_link.wait_for(state="visible")
        assert toggler.get_attribute("aria-expanded") == "true"
    assert nav_link.inner_text().strip() == translated(lang, str(Application.INVOICES.label))
    with customer.expect_navigation() as navigation:
        nav_link.click()
    assert navigation.value.status == 200
    assert customer.url == f"{live_server.url}{billing_path}"
    assert customer.locator(f"#main-nav a.nav-link[href='{billing_path}']").get_attribute("aria-current") == "page"
    assert customer.goto(f"{live_server.url}{invoices_path}").url == f"{live_server.url}{billing_path}"
    axe_check(customer)

    response = customer.goto(f"/{lang}/app/orders/")
    assert response.status == 403
    assert html_lang(customer) == lang
    ask = customer.locator(f"main a[href='/{lang}/access/?application=orders']")
    expect(ask).to_be_visible()
    axe_check(customer)

    response = customer.goto(f"/{lang}/help/contact/")
    assert response.status == 200
    assert html_lang(customer) == lang
    axe_check(customer)
