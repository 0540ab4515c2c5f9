"""The agents' worklists in a real browser at phone width: sort the payments table and the renewals
(a list of cards) from the keyboard, each list keeping the other's order, and export one list's CSV;
no axe-core violation."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from guichet.billing import services as billing_services
from guichet.core.calendar import today_for
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import OrganisationFactory, make_agent
from tests.contracts.conftest import make_contract

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(new_context: Any, live_server: Any, user: Any) -> Any:
    client = Client()
    client.force_login(user)
    context = new_context(phone=True, accept_downloads=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_worklists_sort_by_keyboard_and_export(new_context, live_server, axe_check) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(country="BE", language="fr")
    agent = make_agent("BE", email="worklists.be@example.com")
    for reference, day in (("P-1", date(2026, 3, 1)), ("P-2", date(2026, 3, 2))):
        with tenant_scope(organisation):
            billing_services.payment_record(
                actor=None,
                organisation=organisation,
                day=day,
                amount=Decimal("10"),
                currency="EUR",
                method="bank_transfer",
                reference=reference,
                allocations=[],
            )
    page = signed_in(new_context, live_server, agent)
    page.goto(f"{live_server.url}/en/console/billing/")
    references = "[data-testid=payments] tbody tr td:first-child"
    assert page.locator(references).all_inner_texts() == ["P-2", "P-1"]  # newest first
    axe_check(page)
    header = page.locator("th[aria-sort] a[data-sort-link]", has_text="Reference")
    header.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**payments_sort=reference**")
    assert page.locator(references).all_inner_texts() == ["P-1", "P-2"]
    expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
    with page.expect_download() as download:
        page.locator("[data-testid=export-csv]").last.click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["P-1", "P-2"]
    page.mouse.move(0, 0)  # the pointer leaves the button: its hover colours are Bootstrap's, not the page's
    axe_check(page)

    today = today_for(organisation)
    make_contract(organisation, number="BE-HW-2026-0701", renewal_date=today + timedelta(days=30))
    make_contract(organisation, number="BE-HW-2026-0702", renewal_date=today + timedelta(days=20))
    page.goto(f"{live_server.url}/en/console/contracts/")
    axe_check(page)
    renewals = "[data-testid=renewals] a"
    assert page.locator(renewals).all_inner_texts() == ["BE-HW-2026-0702", "BE-HW-2026-0701"]
    link = page.locator("[data-testid=worklist-sort] a", has_text="Contract")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**renewals_sort=contract**")
    assert page.locator(renewals).all_inner_texts() == ["BE-HW-2026-0701", "BE-HW-2026-0702"]
    assert page.locator("[data-testid=worklist-sort] a[aria-current=true]").inner_text().startswith("Contract")
    axe_check(page)
