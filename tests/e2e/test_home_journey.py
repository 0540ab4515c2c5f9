"""Marie's home in a real browser on a phone, in French and in Romanian: what waits for her, each line
leading to where it is done, the tiles of her applications; axe-clean. And an agent's console home."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from guichet.accounts.models import Membership, User
from guichet.billing import rules as billing_rules
from guichet.billing import services as billing_services
from guichet.contracts.models import ContractStatus
from guichet.core.calendar import today_for
from guichet.core.tenancy import tenant_scope
from guichet.support import services as support_services
from guichet.support.models import Request, Status
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member
from tests.contracts.conftest import make_contract

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


def marie() -> tuple[User, dict[str, str]]:
    """Marie of the demo (docs: interfaces.md): customer admin and signatory of Atelier Solidaire ASBL."""
    organisation = OrganisationFactory(country="BE", language="fr", name="Atelier Solidaire ASBL")
    user = make_member(
        organisation, role="admin", email="marie@atelier-solidaire.example", first_name="Marie", last_name="Lambert"
    )
    Membership.objects.filter(user=user).update(is_signatory=True)
    grant_all(user, organisation)
    today = today_for(organisation)
    to_sign = make_contract(organisation, status=ContractStatus.AWAITING_SIGNATURE, title="Maintenance 2027")
    renewing = make_contract(organisation, renewal_date=today + timedelta(days=60), title="Maintenance matérielle")
    with tenant_scope(organisation):
        billing_services.invoice_issue(
            actor=None,
            organisation=organisation,
            lines=[billing_rules.LineIn("Toner", Decimal("3"), Decimal("78.19"))],
            issue_date=today - timedelta(days=70),
        )
        request = support_services.request_submit(
            actor=user,
            organisation=organisation,
            type="invoices",
            subject="Copie de facture",
            description="Merci de renvoyer la facture de mars.",
            details={"invoice_number": "INV-2026-1"},
            contact={"name": "Marie Lambert", "email": user.email},
        )
        Request.objects.filter(pk=request.pk).update(status=Status.WAITING)
    return user, {"sign": to_sign.number, "renewal": renewing.number, "request": request.number}


@pytest.mark.parametrize("language", ["fr", "ro"])
def test_marie_sees_what_needs_her_and_goes_there(new_context, live_server, axe_check, language: str) -> None:  # type: ignore[no-untyped-def]
    user, numbers = marie()
    page = signed_in(new_context, live_server, user, phone=True)
    page.goto(f"{live_server.url}/{language}/")
    attention = page.locator("[data-testid=attention]")
    with translation.override(language):
        assert gettext("What needs you") in attention.locator("h2").inner_text()
        overdue = gettext("Overdue invoices")
    kinds = attention.locator("li[data-kind]").evaluate_all("items => items.map(i => i.dataset.kind)")
    # the dated ones first (the oldest due invoice, then the renewal), then the undated ones
    assert kinds == ["invoices_overdue", "contract_renewal", "contract_signature", "request_reply"]
    assert overdue in attention.inner_text()
    for number in numbers.values():
        assert number in attention.inner_text()
    tiles = page.locator("[data-testid=application-tiles] > li")
    expect(tiles).to_have_count(7)
    # a phone's width: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)

    # the contract to sign leads to its signing page (which first asks for the password again)
    attention.locator("li[data-kind=contract_signature] a").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert f"/{language}/contracts/{numbers['sign']}/sign/" in unquote(page.url)
    page.go_back()
    # the request waiting for her reply opens the request
    page.locator("[data-testid=attention] li[data-kind=request_reply] a").click()
    page.wait_for_url(f"**/{language}/requests/{numbers['request']}/")
    axe_check(page)


def test_an_agent_lands_on_the_console_home(new_context, live_server, axe_check) -> None:  # type: ignore[no-untyped-def]
    marie()  # her request waits in the BE agent's queue, unassigned
    agent = make_agent("BE", email="agent.home@example.com", language="fr")
    page = signed_in(new_context, live_server, agent, phone=True)
    page.goto(f"{live_server.url}/fr/console/")
    expect(page.locator("[data-testid=console-queues] [data-queue]")).to_have_count(4)
    chart = page.locator("[data-testid=flow-chart]")
    assert chart.get_attribute("role") == "img"
    page.locator("[data-testid=console-chart] summary").click()
    expect(page.locator("[data-testid=flow-table] tbody tr")).to_have_count(30)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    assert page.locator("[data-queue=unassigned]").inner_text().count("Copie de facture") == 1
