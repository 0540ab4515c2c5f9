"""A request from submission to closing, in a real browser, with the e-mails at a real SMTP server."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from guichet.accounts.models import User
from guichet.core.tenancy import tenant_scope
from guichet.support.models import Request
from tests.accounts.factories import grant_all, make_agent, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _site(settings, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(new_context: Any, live_server: Any, user: User) -> Any:
    """A page carrying `user`'s session (signing in itself is covered by the registration journey)."""
    client = Client()
    client.force_login(user)
    context = new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


# What the customer types and the greeting of the confirmation e-mail, per language.
WORDS = {
    "fr": ("Duplicata facture mars", "Merci de renvoyer la facture.", "Bonjour"),
    "nl": ("Duplicaat factuur maart", "Gelieve de factuur opnieuw te sturen.", "Beste"),
    "ro": ("Duplicat factură martie", "Vă rog retrimiteți factura.", "Bună ziua"),
}


@pytest.mark.parametrize(("language", "country"), [("fr", "BE"), ("nl", "BE"), ("ro", "RO")])
def test_request_from_submission_to_closing(  # type: ignore[no-untyped-def]
    new_context, live_server, smtp_sink, axe_check, language: str, country: str
) -> None:
    from tests.accounts.factories import OrganisationFactory

    organisation = OrganisationFactory(country=country, language=language)
    customer = make_member(organisation, role="admin", language=language, email=f"client.{language}@example.com")
    grant_all(customer, organisation, ["requests"])
    agent = make_agent(country, language=language, email=f"agent.{language}@example.com")
    base = f"{live_server.url}/{language}"

    # The customer picks a type and sends a pre-filled request.
    page = signed_in(new_context, live_server, customer)
    page.goto(f"{base}/requests/new/")
    axe_check(page)
    page.locator("input[name=type][value=invoices]").check()
    page.locator("[data-testid=choose-type] button[type=submit]").click()
    assert page.locator("input[name=contact_email]").input_value() == customer.email
    subject, description, greeting = WORDS[language]
    page.fill("input[name=subject]", subject)
    page.fill("textarea[name=description]", description)
    page.fill("input[name=invoice_number]", "INV-2026-0312")
    axe_check(page)
    page.locator("[data-testid=request-form] button[type=submit]").click()
    number = page.locator("[data-testid=request-number]").inner_text().strip()
    assert number.startswith(f"{country}-")
    axe_check(page)
    confirmation = smtp_sink.wait_for(1)[0]
    assert number in confirmation["Subject"] and confirmation["To"] == customer.email
    assert greeting in smtp_sink.text(confirmation)

    # An agent of the country assigns it to themselves and asks a question.
    console = signed_in(new_context, live_server, agent)
    console.goto(f"{base}/console/requests/")
    axe_check(console)
    console.locator(f"a:has-text('{number}')").first.click()
    console.locator("[data-testid=assign-me] button").click()
    assert console.locator("[data-testid=request-status]").inner_text().strip()
    console.fill("[data-testid=reply-form] textarea[name=body]", "Quel mois exactement ?")
    console.select_option("[data-testid=reply-form] select[name=then]", "waiting_on_customer")
    console.locator("[data-testid=reply-form] button[type=submit]").click()
    axe_check(console)
    messages = smtp_sink.wait_for(3)
    assert "Quel mois exactement ?" in smtp_sink.text(messages[2])
    assert all(m["References"] == confirmation["References"] for m in messages)  # one thread

    # The customer sees the question and answers; the request goes back to the agent.
    page.reload()
    assert "Quel mois exactement ?" in page.content()
    page.fill("[data-testid=reply-form] textarea[name=body]", "Mars 2026.")
    page.locator("[data-testid=reply-form] button[type=submit]").click()
    with tenant_scope(organisation):
        assert Request.objects.get(number=number).status == "in_progress"
    told_agent = smtp_sink.wait_for(4)[3]
    assert told_agent["To"] == agent.email and "Mars 2026." in smtp_sink.text(told_agent)

    # The agent resolves; the customer is told, rates and closes.
    console.reload()
    console.fill("[data-testid=reply-form] textarea[name=body]", "Voici le duplicata.")
    console.select_option("[data-testid=reply-form] select[name=then]", "resolved")
    console.locator("[data-testid=reply-form] button[type=submit]").click()
    resolved = smtp_sink.wait_for(5)[4]
    assert "#rating" in smtp_sink.text(resolved)
    page.reload()
    page.locator("[data-testid=rating-form] input[name=rating][value='5']").check()
    page.locator("[data-testid=rating-form] button[type=submit]").click()
    expect(page.locator("[data-testid=rating-given]")).to_be_visible()
    page.locator("[data-testid=close-form] button").click()
    axe_check(page)
    with tenant_scope(organisation):
        closed = Request.objects.get(number=number)
    assert (closed.status, closed.rating) == ("closed", 5)
    closing = smtp_sink.wait_for(6)[5]
    assert number in closing["Subject"]


@pytest.mark.parametrize(("language", "country"), [("en", "CA"), ("fr", "BE"), ("ro", "RO")])
def test_a_question_asked_from_the_contact_page_without_the_requests_grant(  # type: ignore[no-untyped-def]
    new_context, live_server, smtp_sink, axe_check, language: str, country: str
) -> None:
    """Issue 14, item 5: an identity is enough; on a phone, by keyboard, with the confirmation e-mail."""
    from tests.accounts.factories import OrganisationFactory

    organisation = OrganisationFactory(country=country, language=language)
    member = make_member(organisation, language=language, email=f"question.{language}@example.com")
    page = signed_in(lambda: new_context(phone=True), live_server, member)
    page.goto(f"{live_server.url}/{language}/help/contact/")
    form = page.locator("[data-testid=question-form]")
    expect(form).to_be_visible()
    expect(page.locator("[data-testid=opening-hours]")).to_have_count(0 if country == "CA" else 1)
    axe_check(page)
    page.fill("input[name=subject]", "Question")
    page.locator("textarea[name=description]").focus()
    page.keyboard.type("Where can I find my contract?")
    page.locator("[data-testid=question-form] button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/requests/*/")
    number = page.locator("[data-testid=request-number]").inner_text().strip()
    assert number.startswith(f"{country}-")
    axe_check(page)
    confirmation = smtp_sink.wait_for(1)[0]
    assert number in confirmation["Subject"] and confirmation["To"] == member.email
    page.goto(f"{live_server.url}/{language}/requests/")
    expect(page.locator("[data-testid=questions-only]")).to_be_visible()
    expect(page.locator(f"[data-testid=request-list] >> text={number}")).to_have_count(1)
    axe_check(page)
