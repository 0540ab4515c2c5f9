"""Invoices in a real browser on a phone: PDF in the customer's language, statement with aging, a dispute
resolved by an agent with a credit note, and the e-mails at a real SMTP server."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from guichet.accounts.models import User
from guichet.billing import rules, services
from guichet.billing.models import Dispute, Invoice
from guichet.core.calendar import today_for
from guichet.core.money import format_money, locale_for
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _site(settings, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(new_context: Any, live_server: Any, user: User, *, phone: bool = False) -> Any:
    client = Client()
    client.force_login(user)
    context = new_context(phone=phone, accept_downloads=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def pdf_text(path: str) -> str:
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("language", "country", "province"), [("fr", "BE", ""), ("nl", "BE", ""), ("ro", "RO", ""), ("en", "CA", "ON")]
)
def test_invoice_statement_dispute_credit_note(  # type: ignore[no-untyped-def]
    new_context, live_server, smtp_sink, axe_check, language: str, country: str, province: str
) -> None:
    organisation = OrganisationFactory(country=country, province=province, language=language)
    customer = make_member(organisation, role="admin", language=language, email=f"billing.{language}@example.com")
    grant_all(customer, organisation, ["invoices", "statements", "requests"])
    agent = make_agent(country, language=language, email=f"agent.billing.{language}@example.com")
    lines = [
        rules.LineIn("Maintenance 8286-42A", Decimal(1), Decimal("1000.00")),
        rules.LineIn("Toner", Decimal(3), Decimal("78.19")),
    ]
    # Dated on the organisation's own clock, as the statement reads them: Ontario's date is a day
    # behind UTC's from 00:00 to 05:00 UTC, and an invoice dated "tomorrow" is not on today's statement.
    today = today_for(organisation)
    with tenant_scope(organisation):
        old = services.invoice_issue(
            actor=None, organisation=organisation, lines=lines, issue_date=today - timedelta(days=70)
        )
        invoice = services.invoice_issue(actor=None, organisation=organisation, lines=lines, issue_date=today)
    locale = locale_for(language, country)
    base = f"{live_server.url}/{language}"

    # The customer, on a phone, finds the invoice and downloads its PDF, in their language.
    page = signed_in(new_context, live_server, customer, phone=True)
    page.goto(f"{base}/billing/")
    axe_check(page)
    page.locator(f"a:has-text('{invoice.number}')").first.click()
    assert page.locator("[data-testid=invoice-number]").inner_text().strip() == invoice.number
    axe_check(page)
    with page.expect_download() as download_info:
        page.locator("[data-testid=download-pdf]").click()
    text = pdf_text(download_info.value.path())
    with translation.override(language):
        title = gettext("Invoice")
    assert invoice.number in text and title in text
    assert " ".join(format_money(invoice.total, invoice.currency, locale).split()) in text.replace("\u202f", " ")

    # The statement shows both invoices and the aging chart, with its table alternative.
    page.goto(f"{base}/billing/statement/")
    expect(page.locator("[data-testid=aging-chart] svg")).to_be_visible()
    assert page.locator("[data-testid=aging-table] tr[data-bucket='31_60'] td").text_content().strip() == format_money(
        old.total, old.currency, locale
    )
    expect(page.locator("[data-testid=statement-table] tr[data-kind=invoice]")).to_have_count(2)
    axe_check(page)

    # The customer disputes a line of the recent invoice.
    page.goto(f"{base}/billing/{invoice.number}/")
    page.locator("[data-testid=dispute-link]").click()
    axe_check(page)
    page.locator("input[name=positions][value='2']").check()
    page.fill("input[name=amount]", "100.00")
    page.fill("textarea[name=reason]", "Toner jamais livré" if language == "fr" else "Toner not delivered")
    page.locator("[data-testid=dispute-form] button[type=submit]").click()
    expect(page.locator("[data-testid=dispute-open]")).to_be_visible()
    axe_check(page)
    received = smtp_sink.wait_for(1)[0]
    assert received["To"] == customer.email

    # An agent of the country credits it from the console.
    console = signed_in(new_context, live_server, agent)
    console.goto(f"{base}/console/billing/")
    axe_check(console)
    dispute_card = console.locator(f"[data-testid=dispute][data-invoice='{invoice.number}']")
    dispute_card.locator("select[name=decision]").select_option("credit")
    dispute_card.locator("button[type=submit]").click()
    expect(console.locator("[data-testid=no-disputes]")).to_be_visible()
    with tenant_scope(organisation):
        dispute = Dispute.objects.get(invoice=invoice)
        assert dispute.state == "credited" and dispute.credit_note is not None
        credit_note = dispute.credit_note
        assert Invoice.objects.get(pk=invoice.pk).settled == credit_note.total

    # The customer sees the credit note on the invoice and has the e-mail, in their language.
    page.reload()
    expect(page.locator("[data-testid=dispute-credited]")).to_be_visible()
    assert credit_note.number in page.content()
    axe_check(page)
    messages = smtp_sink.wait_for(3)
    told = [m for m in messages if credit_note.number in (m["Subject"] or "")]
    assert told and told[0]["To"] == customer.email
    page.locator(f"a:has-text('{credit_note.number}')").first.click()
    assert page.locator("[data-testid=invoice-number]").inner_text().strip() == credit_note.number
    axe_check(page)
