"""Global search in a real browser, in French and Romanian: Marie presses "/" and finds her invoice
by its number and a machine by its serial (on a phone too); Luc, of another organisation, types
Marie's invoice number and finds nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from guichet.accounts.models import User
from guichet.billing import rules, services
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_member
from tests.inventory.conftest import make_machine

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _site(settings, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(new_context: Any, live_server: Any, user: User, *, phone: bool = False) -> Any:
    client = Client()
    client.force_login(user)
    context = new_context(phone=phone)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


@pytest.mark.parametrize(("language", "country"), [("fr", "BE"), ("ro", "RO")])
def test_marie_finds_her_invoice_and_machine_luc_finds_nothing(  # type: ignore[no-untyped-def]
    new_context, live_server, axe_check, language: str, country: str
) -> None:
    marie_org = OrganisationFactory(country=country, language=language, name="Atelier Marie")
    marie = make_member(
        marie_org, role="admin", language=language, first_name="Marie", email=f"marie.{language}@example.com"
    )
    grant_all(marie, marie_org)
    luc_org = OrganisationFactory(country=country, language=language, name="Brasserie Luc")
    luc = make_member(luc_org, role="admin", language=language, first_name="Luc", email=f"luc.{language}@example.com")
    grant_all(luc, luc_org)
    with tenant_scope(marie_org):
        invoice = services.invoice_issue(
            actor=None,
            organisation=marie_org,
            lines=[rules.LineIn("Maintenance 8286-42A", Decimal(1), Decimal("1000.00"))],
            issue_date=date(2026, 3, 12),
        )
    machine = make_machine(marie_org, serial="78AB123")
    base = f"{live_server.url}/{language}"

    # Marie, at her desk, presses "/" anywhere, types the invoice number and lands on the invoice.
    page = signed_in(new_context, live_server, marie)
    page.goto(f"{base}/")
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "global-search"
    page.keyboard.type(invoice.number)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{language}/billing/{invoice.number}/")
    assert page.locator("[data-testid=invoice-number]").inner_text().strip() == invoice.number
    # "/" typed in a field is a character, not the shortcut.
    page.goto(f"{base}/search/?q=78AB")
    box = page.locator("#search-page-q")
    box.fill("")
    box.press("/")
    assert box.input_value() == "/"

    # On a phone: "/" opens the menu and focuses the box; a serial's beginning lists, the whole serial jumps.
    phone = signed_in(new_context, live_server, marie, phone=True)
    phone.goto(f"{base}/search/?q=78AB")
    group = phone.locator("[data-testid=search-group-machine]")
    assert "78AB123" in group.inner_text()
    axe_check(phone)
    phone.locator("body").press("/")
    assert phone.evaluate("document.activeElement.id") == "global-search"
    phone.keyboard.type(machine.serial.lower())
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"**/{language}/inventory/{machine.serial}/?type={machine.machine_type}")
    assert machine.serial in phone.locator("main").inner_text()

    # Luc types Marie's invoice number: nothing, said in his language, on a page without violations.
    luc_page = signed_in(new_context, live_server, luc, phone=True)
    luc_page.goto(f"{base}/search/?q={invoice.number}")
    expect(luc_page.locator("[data-testid=search-empty]")).to_be_visible()
    assert invoice.number not in luc_page.locator("main a").all_inner_texts()
    axe_check(luc_page)
