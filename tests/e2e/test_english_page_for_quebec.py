"""An English reader of a Quebec (French-speaking) organisation sees English dates and amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from guichet.billing import rules, services
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FRENCH_MONTHS = ("janv", "févr", "mars", "avr", "juin", "juil", "déc")


def test_an_english_page_for_a_quebec_organisation_has_english_dates(  # type: ignore[no-untyped-def]
    new_context: Any, live_server: Any, axe_check: Any
) -> None:
    quebec = OrganisationFactory(country="CA", province="QC", language="fr", name="Imprimerie Laurentide inc.")
    reader = make_member(quebec, role="admin", language="en", email="luc.en@example.com")
    grant_all(reader, quebec, ["invoices"])
    with tenant_scope(quebec):
        invoice = services.invoice_issue(
            actor=None,
            organisation=quebec,
            lines=[rules.LineIn("Maintenance 8286-42A", Decimal(1), Decimal("1000.00"))],
            issue_date=date(2026, 3, 12),
        )
    client = Client()
    client.force_login(reader)
    context = new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()

    page.goto(f"{live_server.url}/en/billing/")
    listing = page.locator("main").inner_text()
    assert invoice.number in listing
    assert "Mar 12, 2026" in listing, listing  # the issue date, in English
    assert "$" in listing and not any(month in listing.lower() for month in FRENCH_MONTHS), listing
    axe_check(page)

    page.locator(f"a:has-text('{invoice.number}')").first.click()
    detail = page.locator("main").inner_text()
    assert "March 12, 2026" in detail and not any(month in detail.lower() for month in FRENCH_MONTHS), detail
