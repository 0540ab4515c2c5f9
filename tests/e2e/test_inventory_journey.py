"""My inventory in a real browser: look up a machine, repairs on a covered and an uncovered machine,
a sale reported, a cross-border relocation approved and carried out, with its two e-mails."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from guichet.accounts.models import User
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import Relocation, RepairRequest, Transfer
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member
from tests.inventory.conftest import cover, make_machine

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "fr": {"hello": "Bonjour", "sale_reason": "Vente à un partenaire", "buyer": "Imprimerie Voisine SA"},
    "ro": {"hello": "Bună ziua", "sale_reason": "Vândută unui partener", "buyer": "Tipografia Vecină SRL"},
    "en": {"hello": "Hello", "sale_reason": "Sold to a partner", "buyer": "Neighbour Print Inc."},
}
DESTINATION = {"BE": "RO", "RO": "BE", "CA": "BE"}


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


@pytest.mark.parametrize(("language", "country"), [("fr", "BE"), ("ro", "RO"), ("en", "CA")])
def test_inventory_journey(  # type: ignore[no-untyped-def]
    new_context, live_server, smtp_sink, axe_check, language: str, country: str
) -> None:
    words = WORDS[language]
    organisation = OrganisationFactory(country=country, language=language, province="QC" if country == "CA" else "")
    customer = make_member(organisation, role="admin", language=language, email=f"inv.{language}@example.com")
    grant_all(customer, organisation, ["inventory", "requests"])
    agent = make_agent(country, language=language, email=f"inv.agent.{language}@example.com")
    covered = make_machine(organisation, "78JR001", site_country=country)
    cover(covered, number=f"{country}-HW-2026-0001", service_level="onsite_next_day")
    make_machine(organisation, "78JR002", machine_type="4610", model="2CR", site_country=country)  # not covered
    base = f"{live_server.url}/{language}"

    # Look up the covered machine by type + serial: its contract and a "this looks wrong" link.
    page = signed_in(new_context, live_server, customer)
    page.goto(f"{base}/inventory/")
    axe_check(page)
    page.fill("#lookup-type", "8286")
    page.fill("#lookup-serial", "78jr001")
    page.locator("[data-testid=lookup-form] button[type=submit]").click()
    coverage = page.locator("[data-testid=coverage]")
    assert coverage.get_attribute("data-state") == "contract"
    assert f"{country}-HW-2026-0001" in coverage.inner_text()
    assert "serial=78JR001" in (page.locator("[data-testid=looks-wrong]").get_attribute("href") or "")
    axe_check(page)

    # A repair on the covered machine: a technician visit with a proposed slot.
    page.locator("[data-testid=lookup-result] h2 a").click()
    axe_check(page)
    page.locator("[data-testid=start-repair]").click()
    page.locator("input[name=kind][value=hardware]").check()
    page.fill("textarea[name=description]", "Ventilateur bruyant" if language == "fr" else "Fan noise")
    axe_check(page)
    page.locator("[data-testid=repair-form] button[type=submit]").click()
    onsite_number = page.locator("[data-testid=repair-number]").inner_text().strip()
    assert onsite_number.startswith(f"SR-{country}-")
    expect(page.locator("[data-testid=slot]")).to_be_visible()
    axe_check(page)

    # A repair on the uncovered machine: the billing acceptance is required, then kept.
    page.goto(f"{base}/inventory/78JR002/repair/?type=4610")
    page.locator("input[name=kind][value=software]").check()
    page.fill("textarea[name=description]", "Boot loop")
    page.locator("[data-testid=repair-form] button[type=submit]").click()
    expect(page.locator("#id_accept_billing_error")).to_be_visible()  # refused without the acceptance
    axe_check(page)
    page.locator("input[name=accept_billing]").check()
    page.locator("[data-testid=repair-form] button[type=submit]").click()
    billed_number = page.locator("[data-testid=repair-number]").inner_text().strip()
    expect(page.locator("[data-testid=billing-accepted]")).to_be_visible()
    expect(page.locator("[data-testid=mail-in]")).to_be_visible()
    with across_organisations():
        billed = RepairRequest.objects.get(number=billed_number)
    assert billed.billing_accepted_by == customer and billed.coverage == "none"

    # The uncovered machine is sold to another company.
    page.goto(f"{base}/inventory/78JR002/transfer/?type=4610")
    page.locator("input[name=kind][value=sale]").check()
    page.fill("input[name=leaves_on]", timezone.now().date().isoformat())
    page.fill("input[name=buyer]", words["buyer"])
    page.fill("textarea[name=reason]", words["sale_reason"])
    axe_check(page)
    page.locator("[data-testid=transfer-form] button[type=submit]").click()
    expect(page.locator("[data-testid=transfers]")).to_be_visible()
    with across_organisations():
        sale = Transfer.objects.get(machine__serial="78JR002")
    assert sale.kind == "sale" and sale.buyer == words["buyer"]

    # A cross-border relocation of the covered machine, from a phone.
    phone = signed_in(new_context, live_server, customer, phone=True)
    phone.goto(f"{base}/inventory/78JR001/relocation/?type=8286")
    axe_check(phone)
    phone.select_option("select[name=to_country]", DESTINATION[country])
    phone.fill("textarea[name=to_address]", "Strada Republicii 10, Brașov")
    phone.fill("input[name=desired_date]", (timezone.now().date() + timedelta(days=45)).isoformat())
    phone.locator("[data-testid=relocation-form] button[type=submit]").click()
    relocation_number = phone.locator("[data-testid=relocation-number]").inner_text().strip()
    assert phone.locator("[data-testid=relocation-status]").get_attribute("data-status") == "submitted"
    axe_check(phone)

    # The agent sees both repairs, the sale and the relocation in the console; evaluates and approves.
    console = signed_in(new_context, live_server, agent)
    console.goto(f"{base}/console/inventory/")
    axe_check(console)
    for number in (onsite_number, billed_number, sale.number, relocation_number):
        expect(console.locator(f"a:has-text('{number}')")).to_have_count(1)
    console.locator(f"a:has-text('{relocation_number}')").click()
    console.locator("[data-testid=relocation-assign] button").click()

    def relocation_mails(count: int) -> list:  # type: ignore[type-arg]
        """The customer's e-mails about the relocation, once `count` of them arrived (or 10 s)."""
        deadline = time.monotonic() + 10
        while True:
            about = [m for m in smtp_sink.to(customer.email) if relocation_number in m["Subject"]]
            if len(about) >= count or time.monotonic() > deadline:
                return about
            time.sleep(0.1)

    # Submitted (when filed), then assigned.
    submitted, assigned = relocation_mails(2)
    assert assigned["To"] == customer.email and words["hello"] in smtp_sink.text(assigned)
    phone.reload()
    assert phone.locator("[data-testid=relocation-status]").get_attribute("data-status") == "assigned"
    console.locator("[data-testid=relocation-decide] input[value=approve]").check()
    axe_check(console)
    console.locator("[data-testid=relocation-decide] button[type=submit]").click()
    assert console.locator("[data-testid=relocation-status]").get_attribute("data-status") == "approved"
    phone.reload()
    assert phone.locator("[data-testid=relocation-status]").get_attribute("data-status") == "approved"
    console.locator("[data-testid=relocation-carry-out] button").click()
    assert console.locator("[data-testid=relocation-status]").get_attribute("data-status") == "carried_out"

    # The e-mails of the relocation: submitted, assigned, then carried out, in one thread.
    about = relocation_mails(3)
    assert len(about) == 3 and about[0]["Subject"] == submitted["Subject"]
    assert about[1]["References"] == about[2]["References"]
    phone.reload()
    assert phone.locator("[data-testid=relocation-status]").get_attribute("data-status") == "carried_out"
    with across_organisations():
        relocation = Relocation.objects.get(number=relocation_number)
        relocation.machine.refresh_from_db()
    assert relocation.machine.site_country == DESTINATION[country]
