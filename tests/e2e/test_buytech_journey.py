"""Buy Tech in a real browser, in French: from the attestation to a warranty replacement.

The nonprofit's admin (on a phone) signs the non-discrimination attestation,
orders two laptops and a phone and is asked for the partner's administrative fee;
a Belgian agent records the fee (the order goes to the vendor) and confirms; the
customer signs both agreements (contracts signing pages) and is asked for the
price, to the vendor; the agent records that payment, two
shipments and their delivery; the customer cancels one item within 14 days,
then claims the warranty with a replacement. Every page passes axe-core.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from guichet.accounts.models import Membership, User
from guichet.buytech import demo, services
from guichet.buytech.models import BuyTechOrder, OrderStatus, WarrantyClaim
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import PASSWORD, OrganisationFactory, grant_all, make_agent, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BPOST = ("323212345678901234567890", "323212345678901234567891")


@pytest.fixture(autouse=True)
def _site(settings, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"


class Clock:
    def __init__(self) -> None:
        self.today = date(2026, 3, 5)  # a Thursday: the confirmation is due after the weekend

    def __call__(self) -> date:
        return self.today


def signed_in(new_context: Any, live_server: Any, user: User, *, phone: bool = False) -> Any:
    client = Client()
    client.force_login(user)
    context = new_context(phone=phone)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def sign_agreement(page: Any, base: str, number: str, axe_check: Any) -> bool:
    """Sign through the contracts context's page; False if those pages are not there yet."""
    response = page.goto(f"{base}/contracts/{number}/sign/")
    if response is None or response.status == 404:
        return False
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url(f"**/fr/contracts/{number}/sign/")
    axe_check(page)
    page.locator("#id_accept_terms").check()
    page.locator("[data-testid=sign-form] button[type=submit]").click()
    page.locator("[data-testid=signed]").wait_for()
    return True


def test_buytech_from_attestation_to_warranty_replacement(  # type: ignore[no-untyped-def]
    new_context, live_server, smtp_sink, axe_check, monkeypatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(services.clock, "today", clock)
    demo._products()
    organisation = OrganisationFactory(
        country="BE", language="fr", name="Atelier Solidaire ASBL", is_nonprofit=True, partner_id="SW-BE-20731"
    )
    customer = make_member(
        organisation, role="admin", language="fr", email="marie@example.com", first_name="Marie", last_name="Dubois"
    )
    Membership.objects.filter(user=customer).update(is_signatory=True)
    grant_all(customer, organisation, ["buytech", "contracts", "requests"])
    services.eligibility_set(actor=None, organisation=organisation, status="eligible", source="partner_import")
    agent = make_agent("BE", language="fr", email="agent.bt@example.com")
    base = f"{live_server.url}/fr"

    # Not yet: the attestation is missing, the page says so and offers it; no order form.
    page = signed_in(new_context, live_server, customer, phone=True)
    page.goto(f"{base}/buytech/")
    expect(page.locator("[data-testid=not-eligible] [data-code=no_attestation]")).to_be_visible()
    expect(page.locator("[data-sku]")).to_have_count(0)
    axe_check(page)
    page.locator("[data-testid=attestation-form] input[name=confirm]").check()
    page.locator("[data-testid=attestation-form] button[type=submit]").click()
    page.locator("[data-testid=eligible]").wait_for()
    axe_check(page)

    # Two laptops and a phone, from the catalogue to the reservation.
    page.locator("[data-testid=catalogue-link]").click()
    page.select_option("select[name=kind]", "laptop")
    page.locator("main form[role=search] button[type=submit]").click()
    axe_check(page)
    page.fill("#q-BT-LT-T14-N", "2")
    page.locator("[data-testid=add-BT-LT-T14-N]").click()
    page.goto(f"{base}/buytech/catalogue/?kind=phone")
    page.locator("[data-testid=add-BT-PH-A54-N]").click()
    page.goto(f"{base}/buytech/cart/")
    assert "1209,00" in page.locator("[data-testid=cart-total]").inner_text().replace("\u202f", "").replace(".", "")
    axe_check(page)
    page.locator("[data-testid=checkout]").click()
    number = page.locator("[data-testid=order-number]").inner_text().strip()
    assert number.startswith("BT-2026-")
    # First the administrative fee, to the partner, with its own structured communication.
    assert "SOCIALware" in page.locator("[data-testid=payment-instructions]").inner_text()
    assert "+++" in page.locator("[data-testid=fee-reference]").inner_text()
    axe_check(page)
    reserved = smtp_sink.wait_for(1)[0]
    assert number in reserved["Subject"] and "+++" in smtp_sink.text(reserved)

    # The agent records the fee the partner received (Thursday 5 March): the order goes to the vendor,
    # whose confirmation is due Monday 9 March (2 Belgian business days); then the agent confirms.
    console = signed_in(new_context, live_server, agent)
    console.goto(f"{base}/console/buytech/")
    console.locator(f"[data-testid=awaiting-fee] a:has-text('{number}')").click()
    console.locator("[data-testid=fee-form] button").click()
    page.reload()
    assert "9 mars 2026" in page.locator("[data-testid=confirmation-due]").inner_text()
    console.goto(f"{base}/console/buytech/")
    assert number in console.locator("[data-testid=to-confirm]").inner_text()
    axe_check(console)
    console.locator(f"[data-testid=to-confirm] a:has-text('{number}')").click()
    axe_check(console)
    console.locator("[data-testid=confirm-form] button").click()
    with across_organisations():
        order = BuyTechOrder.objects.select_related("relationship_agreement", "devices_agreement").get(number=number)
    agreements = [order.relationship_agreement.number, order.devices_agreement.number]
    page.goto(f"{base}/buytech/orders/{number}/")
    expect(page.locator("[data-testid=agreements] li")).to_have_count(2)
    assert order.payment_reference in page.locator("[data-testid=price-reference]").inner_text()
    axe_check(page)

    # The customer signs both agreements on the contracts pages (a stand-in if they are not there yet).
    signed = [sign_agreement(page, base, agreement, axe_check) for agreement in agreements]
    print(f"agreements signed through the contracts pages: {signed}")
    if not all(signed):
        from tests.buytech.conftest import sign_agreements

        sign_agreements(order)

    # Payment, then two shipments, then their delivery.
    console.goto(f"{base}/console/buytech/orders/{number}/")
    console.locator("[data-testid=payment-form] button").click()
    console.locator("[data-testid=shipment-form]").wait_for()
    axe_check(console)
    for positions, tracking in (("1", BPOST[0]), ("3", BPOST[1])):
        form = console.locator("[data-testid=shipment-form]")
        for position in positions.split():
            form.locator(f"input[name=positions][value='{position}']").check()
        if position == "1":
            form.locator("input[name=positions][value='2']").check()
        form.locator("select[name=carrier]").select_option("bpost")
        form.locator("input[name=tracking_number]").fill(tracking)
        form.locator("button[type=submit]").click()
        console.locator("[data-testid=shipments]").wait_for()
    for shipment in ("S1", "S2"):
        console.locator(f"[data-testid=deliver-{number}-{shipment}] button").click()
    with across_organisations():
        assert BuyTechOrder.objects.get(number=number).status == OrderStatus.DELIVERED
    axe_check(console)

    # Within 14 days the customer cancels the phone and is refunded.
    clock.today += timedelta(days=10)
    page.goto(f"{base}/buytech/orders/{number}/")
    expect(page.locator("[data-testid=shipments] li")).to_have_count(2)
    axe_check(page)
    page.locator("[data-testid=cancel-form] input[name=positions][value='3']").check()
    page.locator("[data-testid=cancel-form] button[type=submit]").click()
    page.locator("[data-testid=order-lines] tr[data-position='3'][data-status=cancelled]").wait_for()
    axe_check(page)

    # After the 14 days, a laptop fails: the customer chooses a replacement, reserved from stock.
    clock.today += timedelta(days=20)
    page.reload()
    page.locator("[data-testid=claim-link]").click()
    axe_check(page)
    page.select_option("select[name=position]", "1")
    page.fill("textarea[name=description]", "Le clavier ne répond plus.")
    page.locator("input[name=remedy][value=replacement]").check()
    page.locator("[data-testid=claim-form] button[type=submit]").click()
    assert f"{number}-W1" in page.locator("[data-testid=claims]").inner_text()
    axe_check(page)
    with across_organisations():
        claim = WarrantyClaim.objects.select_related("replacement").get(number=f"{number}-W1")
    assert claim.replacement is not None and claim.replacement.kind == "laptop"
    subjects = [m["Subject"] for m in smtp_sink.wait_for(8)]
    assert any("garantie" in subject.lower() or "W1" in subject for subject in subjects), subjects


def test_a_company_is_kept_out_and_agents_manage_eligibility(  # type: ignore[no-untyped-def]
    new_context, live_server, axe_check, tmp_path
) -> None:
    company = OrganisationFactory(country="BE", language="fr", name="Brasserie Delvaux SA")
    paul = make_member(company, role="admin", language="fr", email="paul@example.com")
    grant_all(paul, company, ["buytech"])
    nonprofit = OrganisationFactory(country="BE", language="fr", name="Atelier Solidaire ASBL", is_nonprofit=True)
    agent = make_agent("BE", language="fr", email="agent.elig@example.com")
    base = f"{live_server.url}/fr"

    # The company, on a phone, reads why it cannot order; the catalogue is closed to it too.
    page = signed_in(new_context, live_server, paul, phone=True)
    page.goto(f"{base}/buytech/")
    codes = page.locator("[data-testid=missing] li").evaluate_all("items => items.map(i => i.dataset.code)")
    assert "not_nonprofit" in codes and "no_partner_id" in codes
    axe_check(page)
    response = page.goto(f"{base}/buytech/catalogue/")
    assert response is not None and response.status == 403 and page.locator("[data-sku]").count() == 0

    # The agent imports the partner's file, then records a verdict by hand.
    console = signed_in(new_context, live_server, agent)
    console.goto(f"{base}/console/buytech/eligibility/import/")
    axe_check(console)
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_number,partner_id,status\nNOPE,SW-1,eligible\n")
    console.set_input_files("input[name=file]", str(bad))
    console.locator("[data-testid=import-form] button[type=submit]").click()
    console.locator("[data-testid=import-errors]").wait_for()
    axe_check(console)
    good = tmp_path / "good.csv"
    good.write_text(f"customer_number,partner_id,status\n{nonprofit.customer_number},SW-BE-20731,eligible\n")
    console.set_input_files("input[name=file]", str(good))
    console.locator("[data-testid=import-form] button[type=submit]").click()
    console.locator("[data-testid=eligibility]").wait_for()
    axe_check(console)
    nonprofit.refresh_from_db()
    assert services.gaps_of(nonprofit) == ["no_attestation"]  # registered and found eligible: only the attestation left
