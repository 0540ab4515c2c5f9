"""Buy Tech pages: the ineligible are kept out with an explanation; the eligible order; agents run the orders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import Organisation, User
from guichet.buytech import rules
from guichet.buytech.models import Attestation, BuyTechOrder, OrderStatus
from guichet.core.tenancy import across_organisations, tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member

from .conftest import BPOST, Clock, deliver_all, forward, reserve, sign_agreements

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- kept out, with the reasons ------------------------------------------------------------------------


def test_a_company_sees_what_is_missing_and_the_help_but_no_order_form(db: object, catalogue: dict) -> None:
    company = OrganisationFactory(country="BE", name="Brasserie SA", is_nonprofit=False)
    user = make_member(company, role="admin")
    grant_all(user, company, ["buytech"])
    client = client_for(user)
    for name in ("buytech:home", "buytech:catalogue", "buytech:cart"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        body = response.content.decode()
        assert 'data-testid="not-eligible"' in body
        assert f'data-code="{rules.NOT_NONPROFIT}"' in body and f'data-code="{rules.NO_PARTNER_ID}"' in body
        assert "data-sku" not in body and "checkout" not in body
    response = client.post(reverse("buytech:checkout"))
    assert response.status_code == 403
    assert not BuyTechOrder._base_manager.exists()


def test_a_nonprofit_signs_the_attestation_from_the_explanation(
    nonprofit: Organisation, buyer: User, catalogue: dict
) -> None:
    from guichet.buytech import services

    services.eligibility_set(actor=None, organisation=nonprofit, status="eligible", source="partner_import")
    client = client_for(buyer)
    page = client.get(reverse("buytech:home"))
    assert page.status_code == 403 and 'data-testid="attestation-form"' in page.content.decode()
    refused = client.post(reverse("buytech:attest"), {})
    assert refused.status_code == 303
    with across_organisations():
        assert not Attestation.objects.exists()
    client.post(reverse("buytech:attest"), {"confirm": "on"})
    with across_organisations():
        attestation = Attestation.objects.get()
    assert attestation.signer == buyer and attestation.wording_version == rules.ATTESTATION_VERSION
    assert client.get(reverse("buytech:home")).status_code == 200


def test_without_the_grant_the_application_is_closed(nonprofit: Organisation) -> None:
    member = make_member(nonprofit)
    assert client_for(member).get(reverse("buytech:home")).status_code == 403


# --- ordering through the pages ------------------------------------------------------------------------------


def test_catalogue_filters_cart_and_reservation(eligible: Organisation, buyer: User, catalogue: dict) -> None:
    client = client_for(buyer)
    page = client.get(reverse("buytech:catalogue"), {"kind": "phone", "condition": "certified_used"})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-sku="BT-PH-IP13-U"' in body and 'data-sku="BT-PH-A54-N"' not in body and "BT-LT-T14-N" not in body
    assert "buytech/phone" in body  # the placeholder image of the kind
    client.post(reverse("buytech:cart"), {"sku": "BT-LT-T14-N", "quantity": "1", "mode": "add"})
    client.post(reverse("buytech:cart"), {"sku": "BT-LT-T14-N", "quantity": "1", "mode": "add"})
    client.post(reverse("buytech:cart"), {"sku": "BT-PH-A54-N", "quantity": "1", "mode": "add"})
    assert client.post(reverse("buytech:cart"), {"sku": "NOPE", "quantity": "1"}).status_code == 400
    cart = client.get(reverse("buytech:cart")).content.decode()
    assert 'data-testid="cart-total"' in cart and "€1,209.00" in cart  # an English page: English amounts
    response = client.post(reverse("buytech:checkout"))
    assert response.status_code == 303
    with tenant_scope(eligible):
        order = BuyTechOrder.objects.get()
        assert order.lines.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert order.number in page and 'data-testid="payment-instructions"' in page
    # First the fee to the partner, with its own reference; the vendor's reference comes after confirmation.
    assert order.fee_reference in page and "SOCIALware" in page and order.payment_reference not in page
    assert client.get(reverse("buytech:cart")).context["rows"] == []


def test_order_page_asks_for_the_price_to_the_vendor_once_it_has_confirmed(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    from guichet.buytech import services

    order = reserve(eligible, buyer, {"BT-LT-T14-N": 2, "BT-PH-A54-N": 1})
    client = client_for(buyer)
    url = reverse("buytech:order", kwargs={"number": order.number})
    with tenant_scope(eligible):
        order = forward(order, agent)
    page = client.get(url).content.decode()
    assert "forwarded to the vendor" in page and order.payment_reference not in page
    assert 'data-testid="confirmation-due"' in page and "March 4, 2026" in page
    with tenant_scope(eligible):
        order = services.order_confirm(actor=agent, order=order)
    page = client.get(url).content.decode()
    assert order.payment_reference in page and order.fee_reference not in page
    assert "to the vendor" in page and "€1,147.00" in page  # the price only (in English): the fee is paid


def test_order_page_of_another_organisation_is_a_404(
    eligible: Organisation, buyer: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    other = OrganisationFactory(country="BE", is_nonprofit=True)
    stranger = make_member(other, role="admin")
    grant_all(stranger, other, ["buytech"])
    client = client_for(stranger)
    assert client.get(reverse("buytech:order", kwargs={"number": order.number})).status_code == 404
    assert client.get(reverse("buytech:order", kwargs={"number": "BT-1999-000001"})).status_code == 404
    assert client.post(reverse("buytech:cancel", kwargs={"number": order.number})).status_code == 404


def test_cancel_return_and_claim_pages(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = deliver_all(reserve(eligible, buyer, {"BT-LT-T14-N": 2, "BT-PH-A54-N": 1}), agent, clock)
    client = client_for(buyer)
    detail = reverse("buytech:order", kwargs={"number": order.number})
    page = client.get(detail).content.decode()
    assert 'data-testid="cancel-form"' in page and "claim-link" not in page
    assert client.post(reverse("buytech:cancel", kwargs={"number": order.number}), {}).status_code == 400
    client.post(reverse("buytech:cancel", kwargs={"number": order.number}), {"positions": ["3"]})
    with tenant_scope(eligible):
        assert order.lines.get(position=3).status == "cancelled"
    clock.today += timedelta(days=20)
    page = client.get(detail).content.decode()
    assert 'data-testid="cancel-form"' not in page and "claim-link" in page and "return-link" in page
    claim_page = client.get(reverse("buytech:claim", kwargs={"number": order.number}))
    assert claim_page.status_code == 200 and "Lenovo ThinkPad T14" in claim_page.content.decode()
    response = client.post(
        reverse("buytech:claim", kwargs={"number": order.number}),
        {"position": "1", "description": "Le clavier ne répond plus", "remedy": "replacement"},
    )
    assert response.status_code == 303
    response = client.post(
        reverse("buytech:return", kwargs={"number": order.number}),
        {"positions": ["2"], "reason": "Plus nécessaire", "organisation_name": eligible.name},
    )
    assert response.status_code == 303
    page = client.get(detail).content.decode()
    assert f"{order.number}-W1" in page and f"{order.number}-R1" in page
    bad = client.post(reverse("buytech:return", kwargs={"number": order.number}), {"positions": ["1"], "reason": ""})
    assert bad.status_code == 400


# --- console ---------------------------------------------------------------------------------------------------------


def test_console_runs_an_order_to_delivery(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-LT-T14-N": 2, "BT-PH-A54-N": 1})
    console = client_for(agent)
    board = console.get(reverse("buytech_console:home")).context["board"]
    assert board.awaiting_fee == [order] and board.to_confirm == []
    url = lambda name: reverse(f"buytech_console:{name}", kwargs={"number": order.number})  # noqa: E731
    page = console.get(url("order")).content.decode()
    assert 'data-testid="fee-form"' in page and 'data-testid="confirm-form"' not in page
    console.post(url("confirm"))  # the vendor has not got it: refused
    console.post(url("fee"), {"amount": "62.00"})
    with tenant_scope(eligible):
        order.refresh_from_db()
    assert order.status == OrderStatus.FORWARDED
    board = console.get(reverse("buytech_console:home")).content.decode()
    assert order.number in board and 'data-testid="to-confirm"' in board
    assert 'data-testid="confirm-form"' in console.get(url("order")).content.decode()
    assert console.post(url("confirm")).status_code == 303
    assert order.number in console.get(reverse("buytech_console:home")).context["board"].awaiting_signature[0].number
    console.post(url("payment"), {"amount": "1147.00"})
    with tenant_scope(eligible):
        order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    failed = console.post(url("ship"), {"positions": ["1", "2"], "carrier": "bpost", "tracking_number": BPOST})
    assert failed.status_code == 400 and "agreements" in failed.content.decode()
    sign_agreements(order)
    bad = console.post(url("ship"), {"positions": ["1", "2"], "carrier": "bpost", "tracking_number": "nope"})
    assert bad.status_code == 400
    assert (
        console.post(url("ship"), {"positions": ["1", "2"], "carrier": "bpost", "tracking_number": BPOST}).status_code
        == 303
    )
    console.post(url("substitute"), {"position": "3", "sku": "BT-PH-IP13-U", "note": "Stock épuisé"})
    console.post(url("ship"), {"positions": ["3"], "carrier": "bpost", "tracking_number": BPOST[:-1] + "1"})
    for shipment in ("S1", "S2"):
        console.post(
            url("delivered"), {"shipment": f"{order.number}-{shipment}", "delivered_on": clock.today.isoformat()}
        )
    with tenant_scope(eligible):
        order.refresh_from_db()
        assert order.status == OrderStatus.DELIVERED
        assert order.lines.get(position=3).description == "Apple iPhone 13"


def test_console_is_for_belgian_agents(eligible: Organisation, buyer: User, catalogue: dict, clock: Clock) -> None:
    order = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    romanian = client_for(make_agent("RO", email="ro.agent@example.com"))
    assert romanian.get(reverse("buytech_console:home")).status_code == 403
    assert romanian.get(reverse("buytech_console:order", kwargs={"number": order.number})).status_code == 403
    assert client_for(buyer).get(reverse("buytech_console:home")).status_code == 403


def test_console_eligibility_and_partner_import(nonprofit: Organisation, agent: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    console = client_for(agent)
    page = console.get(reverse("buytech_console:eligibility"), {"q": nonprofit.name})
    assert page.status_code == 200 and nonprofit.customer_number in page.content.decode()
    bad = SimpleUploadedFile("p.csv", b"customer_number,partner_id,status\nNOPE,SW,eligible\n", "text/csv")
    response = console.post(reverse("buytech_console:import"), {"file": bad})
    assert response.status_code == 400 and 'data-testid="import-errors"' in response.content.decode()
    good = SimpleUploadedFile(
        "p.csv", f"customer_number,partner_id,status\n{nonprofit.customer_number},SW-BE-99001,eligible\n".encode()
    )
    assert console.post(reverse("buytech_console:import"), {"file": good}).status_code == 303
    response = console.post(
        reverse("buytech_console:set_eligibility", kwargs={"customer_number": nonprofit.customer_number}),
        {"status": "refused", "note": "Statuts non conformes"},
    )
    assert response.status_code == 303
    from guichet.buytech.models import Eligibility

    with across_organisations():
        verdict = Eligibility.objects.get(organisation=nonprofit)
    assert (verdict.status, verdict.source, verdict.confirmed_by) == ("refused", "agent", agent)


def test_an_organisation_that_lost_eligibility_still_follows_its_orders(
    eligible: Organisation, buyer: User, catalogue: dict, clock: Clock
) -> None:
    from guichet.buytech import services

    order = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    services.eligibility_set(actor=None, organisation=eligible, status="refused", source="partner_import")
    client = client_for(buyer)
    home = client.get(reverse("buytech:home"))
    assert home.status_code == 403 and order.number in home.content.decode()
    assert f'data-code="{rules.PARTNER_REFUSED}"' in home.content.decode()
    assert client.get(reverse("buytech:order", kwargs={"number": order.number})).status_code == 200


@pytest.mark.parametrize(
    ("language", "expected", "english"),
    [
        (
            "fr",
            (
                "Processeur",
                "Mémoire",
                "14 pouces",
                "512 Go",
                "garantie du fabricant incluse",
                "Légères marques sur le capot",
            ),
            (">screen<", ">14 in<", "months from delivery", "Light marks"),
        ),
        (
            "nl",
            ("Processor", "Geheugen", "14 inch", "fabrieksgarantie inbegrepen", "Lichte sporen op het deksel"),
            (">screen<", ">14 in<", "months from delivery", "Light marks"),
        ),
    ],
)
def test_the_catalogue_reads_in_the_readers_language_brand_names_kept(
    eligible: Organisation,
    buyer: User,
    catalogue: dict,
    language: str,
    expected: tuple[str, ...],
    english: tuple[str, ...],
) -> None:
    client = client_for(buyer)
    with translation.override(language):
        body = client.get(reverse("buytech:catalogue"), {"kind": "laptop"}).content.decode()
    assert "ThinkPad T14 Gen 5" in body and "Intel Core Ultra 5" in body  # the vendor's names, as given
    assert all(text in body for text in expected), [text for text in expected if text not in body]
    assert not [text for text in english if text in body]
