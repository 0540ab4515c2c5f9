"""My inventory as a list people work with, in a real browser at phone width, in French: sort by a
column from the keyboard, filter, come back to the remembered filters, reset them, export the CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from guichet.accounts.models import User
from tests.accounts.factories import OrganisationFactory, grant_all, make_member
from tests.inventory.conftest import make_machine

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(new_context: Any, live_server: Any, user: User) -> Any:
    client = Client()
    client.force_login(user)
    context = new_context(phone=True, accept_downloads=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def serials(page: Any) -> list[str]:
    return page.locator("[data-testid=machine-list] tbody tr").evaluate_all("rows => rows.map(r => r.dataset.serial)")


def test_sort_filter_remember_and_export_at_phone_width(new_context, live_server, axe_check) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(country="BE", language="fr")
    customer = make_member(organisation, role="admin", language="fr")
    grant_all(customer, organisation)
    make_machine(organisation, serial="78LIST2", description="Imprimante")
    make_machine(organisation, serial="78LIST1", description="=Serveur")
    make_machine(organisation, serial="78LIST3", description="Serveur de fichiers")
    page = signed_in(new_context, live_server, customer)
    base = f"{live_server.url}/fr/inventory/"
    page.goto(base)
    assert serials(page) == ["78LIST1", "78LIST2", "78LIST3"]
    axe_check(page)

    # Sorting from the keyboard: the header is a link; aria-sort says the order.
    header = page.locator("th[aria-sort] a[data-sort-link]").first
    header.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=-machine**")
    assert serials(page) == ["78LIST3", "78LIST2", "78LIST1"]
    expect(page.locator("th[aria-sort=descending]")).to_have_count(1)

    page.fill("main input[name=q]", "Serveur")
    page.press("main input[name=q]", "Enter")
    page.wait_for_url("**q=Serveur**")
    assert serials(page) == ["78LIST3", "78LIST1"]  # the order is kept with the filter
    axe_check(page)

    # Back to the bare list: the last filters come back; "Réinitialiser les filtres" forgets them.
    page.goto(base)
    assert "q=Serveur" in page.url and serials(page) == ["78LIST3", "78LIST1"]
    with page.expect_download() as download:
        page.locator("[data-testid=export-csv]").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["78LIST3", "78LIST1"] and rows[2][3] == "'=Serveur"
    page.locator("[data-testid=reset-filters]").click()
    assert page.url == base and serials(page) == ["78LIST1", "78LIST2", "78LIST3"]
    axe_check(page)
