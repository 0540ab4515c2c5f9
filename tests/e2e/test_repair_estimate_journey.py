"""A repair cost estimate in a real browser, on a phone, in French: the home says the repair waits for
the customer's cost acceptance, the repair page shows the estimate, a review step, and the answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory import services
from guichet.inventory.models import RepairRequest
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member
from tests.inventory.conftest import make_machine

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _site(settings, live_server) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url


def test_the_customer_accepts_a_cost_estimate_on_a_phone(new_context, live_server, axe_check) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(country="BE", language="fr")
    customer = make_member(organisation, role="admin", language="fr", email="devis@example.com", first_name="Anne")
    grant_all(customer, organisation, ["inventory", "requests"])
    agent = make_agent("BE", language="fr", email="devis.agent@example.com")
    machine = make_machine(organisation, "78DV001")  # nothing covers it
    with tenant_scope(organisation):
        repair = services.repair_request(
            actor=customer, machine=machine, kind="hardware", description="Bourrage papier", accept_billing=True
        )
        services.repair_estimate(
            actor=agent, repair=repair, amount=Decimal("245.50"), note="Unité de fusion, 1 h de main-d'œuvre"
        )

    client = Client()
    client.force_login(customer)
    context = new_context(phone=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page: Any = context.new_page()

    # The home: the repair waits for the customer's cost acceptance, with no due date.
    page.goto(f"{live_server.url}/fr/")
    item = page.locator("main [data-kind=repair_estimate]")
    assert "Réparation en attente de votre accord sur le devis" in item.inner_text()
    expect(item.locator("time")).to_have_count(0)
    axe_check(page)
    item.locator("a").click()

    # The repair page: the estimate in euros, the French way, and the two answers.
    estimate = page.locator("main [data-testid=estimate]")
    assert "245,50" in estimate.locator("[data-testid=estimate-amount]").inner_text()
    assert "Unité de fusion" in estimate.inner_text()
    axe_check(page)
    page.locator("main [data-testid=estimate-accept]").click()

    # The review step changes nothing until it is confirmed.
    review = page.locator("main [data-testid=review]")
    assert "245,50" in review.inner_text()
    axe_check(page)
    with across_organisations():
        assert RepairRequest.objects.get(pk=repair.pk).estimate_status == "pending"
    page.locator("main [data-testid=estimate-confirm]").click()

    answer = page.locator("main [data-testid=estimate-answer]")
    assert "Accepté le" in answer.inner_text()
    expect(page.locator("main [data-testid=estimate-accept]")).to_have_count(0)
    axe_check(page)
    with across_organisations():
        accepted = RepairRequest.objects.get(pk=repair.pk)
    assert (accepted.estimate_status, accepted.estimate_answered_by_id) == ("accepted", customer.pk)
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
