"""Contracts in a real browser, in French: list, copy, a termination refused with its reason, one accepted
with its effective date, and the agent accepting it in the console."""

from __future__ import annotations

from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import formats, translation
from playwright.sync_api import expect

from guichet.accounts.models import User
from guichet.contracts import services
from guichet.contracts.models import ContractKind, Termination
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member
from tests.contracts.conftest import cover, make_code, make_contract, make_machine

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _site(settings, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(new_context: Any, live_server: Any, user: User) -> Any:
    client = Client()
    client.force_login(user)
    context = new_context(accept_downloads=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_terminations_refused_then_accepted_in_french(new_context, live_server, axe_check) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(country="BE", language="fr", name="Atelier Test ASBL")
    customer = make_member(organisation, role="admin", language="fr", email="marie.e2e@example.com")
    grant_all(customer, organisation, ["contracts", "requests"])
    agent = make_agent("BE", language="fr", email="agent.e2e@example.com")
    today = services.today_for(organisation)
    contract = make_contract(organisation, number="BE-HW-2024-0001", title="Maintenance matérielle")
    cover(contract, today - relativedelta(years=2), make_machine(organisation, serial="78BE101"))
    young = cover(contract, today - relativedelta(months=2), make_machine(organisation, serial="78BE102"))
    base = f"{live_server.url}/fr"

    page = signed_in(new_context, live_server, customer)
    page.goto(f"{base}/contracts/")
    axe_check(page)
    page.locator("a:has-text('BE-HW-2024-0001')").click()
    assert page.locator("[data-testid=contract-number]").inner_text().strip() == "BE-HW-2024-0001"
    axe_check(page)
    with page.expect_download() as copy:
        page.locator("[data-testid=copy-link]").click()
    assert copy.value.suggested_filename == "BE-HW-2024-0001.pdf"

    # The machine under contract for two months only: refused, with the date it becomes possible.
    page.locator("[data-testid=terminate-link]").click()
    axe_check(page)
    first = young.covered_from + relativedelta(months=6)
    with translation.override("fr"):
        first_text = formats.date_format(first, "DATE_FORMAT")
    assert first_text in page.locator("tr[data-serial='78BE102']").inner_text()
    page.locator("tr[data-serial='78BE102'] input[type=checkbox]").check()
    page.locator("[data-testid=termination-form] button[type=submit]").click()
    refusal = page.locator("[data-testid=refusal]")
    assert refusal.get_attribute("data-code") == "not_yet_eligible"
    assert "78BE102" in refusal.inner_text()
    axe_check(page)

    # The one under contract for two years: accepted, effective one month from today.
    page.locator("tr[data-serial='78BE102'] input[type=checkbox]").uncheck()
    page.locator("tr[data-serial='78BE101'] input[type=checkbox]").check()
    page.locator("[data-testid=termination-form] button[type=submit]").click()
    assert "78BE101" in page.locator("[data-testid=review-summary]").inner_text()  # the review step
    axe_check(page)
    page.locator("[data-testid=review-form] button[name=confirmed]").click()
    effective = today + relativedelta(months=1)
    with translation.override("fr"):
        effective_text = formats.date_format(effective, "DATE_FORMAT")
    assert effective_text in page.locator("[data-testid=termination-effective]").inner_text()
    axe_check(page)
    with tenant_scope(organisation):
        termination = Termination.objects.get(contract=contract)
    assert termination.effective_date == effective and termination.request_number

    # The agent accepts it from the console.
    console = signed_in(new_context, live_server, agent)
    console.goto(f"{base}/console/contracts/")
    axe_check(console)
    console.locator("[data-testid=terminations] a:has-text('BE-HW-2024-0001')").click()
    console.locator(f"[data-testid=decide-{termination.pk}] button[type=submit]").click()
    axe_check(console)
    termination.refresh_from_db()
    assert termination.status == "accepted"

    # A ServicePac: a mistyped code is refused with its reason, the right one activates coverage.
    servicepac = make_contract(organisation, kind=ContractKind.SERVICEPAC, status="draft", number="BE-SP-2026-0001")
    code = make_code(servicepac, "ATEL2345")
    make_machine(organisation, serial="78BE103")
    page.goto(f"{base}/contracts/servicepac/")
    axe_check(page)
    page.fill("input[name=code]", code.code[:-1] + ("2" if not code.code.endswith("2") else "3"))
    page.fill("input[name=machine_type]", "9009")
    page.fill("input[name=serial]", "78BE103")
    page.locator("[data-testid=servicepac-form] button[type=submit]").click()
    expect(page.locator("#id_code_error")).to_be_visible()
    axe_check(page)
    page.fill("input[name=code]", code.code.lower())
    page.locator("[data-testid=servicepac-form] button[type=submit]").click()
    assert page.locator("[data-testid=contract-number]").inner_text().strip() == "BE-SP-2026-0001"
    assert "78BE103" in page.locator("[data-testid=machine-list]").inner_text()

    # The lookup by machine type + serial is a form that downloads the list.
    page.goto(f"{base}/contracts/machines/")
    axe_check(page)

    # A subscription is not renewed: it ends with its term; the notice is then withdrawn.
    term = today + relativedelta(months=5)
    make_contract(
        organisation,
        kind=ContractKind.SOFTWARE_SUBSCRIPTION,
        number="BE-SW-2025-0001",
        end_date=term,
        renewal_date=term,
    )
    page.goto(f"{base}/contracts/BE-SW-2025-0001/")
    page.locator("[data-testid=terminate-link]").click()
    with translation.override("fr"):
        term_text = formats.date_format(term, "DATE_FORMAT")
    assert term_text in page.locator("[data-testid=earliest]").inner_text()
    axe_check(page)
    page.locator("[data-testid=termination-form] button[type=submit]").click()
    assert page.locator("[data-testid=refusal]").get_attribute("data-code") == "lapse_not_acknowledged"
    page.locator("input[name=lapse_acknowledged]").check()
    page.locator("[data-testid=termination-form] button[type=submit]").click()
    page.locator("[data-testid=review-form] button[name=confirmed]").click()
    assert term_text in page.locator("[data-testid=termination-effective]").inner_text()
    axe_check(page)
    page.locator("[data-testid=withdraw]").click()
    expect(page.locator("[data-testid=withdraw]")).to_have_count(0)
    assert "Retirée par le client" in page.locator("[data-testid=termination-list]").inner_text()
    axe_check(page)
