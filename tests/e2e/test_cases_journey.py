"""Marie (demo account, Atelier Solidaire) finds her repair in My requests, in French and in
Romanian, with the other kinds of case beside her requests; the page is axe-clean on a phone too."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from guichet.accounts.models import User
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import RepairRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KIND = {"fr": "Réparation", "ro": "Reparație"}


@pytest.fixture(autouse=True)
def _site(settings, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(new_context: Any, live_server: Any, user: User, **options: Any) -> Any:
    client = Client()
    client.force_login(user)
    context = new_context(**options)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


@pytest.mark.parametrize("language", ["fr", "ro"])
def test_marie_sees_her_repair_in_my_requests(new_context, live_server, axe_check, language: str) -> None:  # type: ignore[no-untyped-def]
    call_command("seed_demo", verbosity=0)
    marie = User.objects.get(email="marie@atelier-solidaire.example")
    with across_organisations():
        repair = RepairRequest.objects.get(organisation__customer_number="BE-100001")
    for options in ({}, {"viewport": {"width": 390, "height": 844}}):
        page = signed_in(new_context, live_server, marie, **options)
        page.goto(f"{live_server.url}/{language}/requests/")
        row = page.locator(f"tr[data-number='{repair.number}']")
        assert row.get_attribute("data-kind") == "repair"
        assert KIND[language] in row.inner_text()
        axe_check(page)
        # Only repairs, then the row opens the repair's own page.
        page.select_option("#id_kind", "repair")
        page.locator("main form[role=search] button[type=submit]").click()
        assert page.locator("tbody tr").count() >= 1
        assert all(
            kind == "repair" for kind in page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.kind)")
        )
        page.locator(f"tr[data-number='{repair.number}'] th a").click()
        page.wait_for_url(f"**/{language}/inventory/repairs/{repair.number}/")
        axe_check(page)
    home = signed_in(new_context, live_server, marie)
    home.goto(f"{live_server.url}/{language}/")
    assert repair.number in home.locator("[data-testid=recent-activity]").inner_text()
    axe_check(home)
