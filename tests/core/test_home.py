"""The customer home's "what needs you" and figures (core/home.py and each context's attention.py),
and GET /api/v1/attention: each kind appears when it should, for this person only."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import AccessRequest, Application, ApplicationGrant, JoinRequest, Membership, User
from guichet.billing import rules as billing_rules
from guichet.billing import services as billing_services
from guichet.buytech.models import BuyTechOrder, OrderStatus
from guichet.contracts.models import ContractStatus
from guichet.core.calendar import today_for
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory.models import Machine
from guichet.support import services as support_services
from guichet.support.models import Request, Status
from tests.accounts.factories import UserFactory, grant_all, make_member
from tests.contracts.conftest import cover, make_contract

pytestmark = pytest.mark.django_db


def kinds(client: Client) -> list[str]:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return [item.kind for item in response.context["home"].attention]


def signatory(user: User) -> User:
    Membership.objects.filter(user=user).update(is_signatory=True)
    return user


def revoke(user: User, application: str) -> None:
    with across_organisations():
        ApplicationGrant.objects.filter(user=user, application=application).delete()


def make_request(organisation: Any, user: User, status: str = Status.WAITING) -> Request:
    with tenant_scope(organisation):
        request = support_services.request_submit(
            actor=user,
            organisation=organisation,
            type="invoices",
            subject="Copie de facture",
            description="Merci de renvoyer la facture de mars.",
            details={"invoice_number": "INV-2026-1"},
            contact={"name": user.get_full_name(), "email": user.email},
        )
        Request.objects.filter(pk=request.pk).update(status=status)
    return request


def overdue_invoice(organisation: Any, days_late: int = 10) -> Any:
    today = today_for(organisation)
    with tenant_scope(organisation):
        return billing_services.invoice_issue(
            actor=None,
            organisation=organisation,
            lines=[billing_rules.LineIn("Toner", Decimal("1"), Decimal("100.00"))],
            issue_date=today - timedelta(days=days_late + 30),
            due_date=today - timedelta(days=days_late),
        )


def make_buytech_order(organisation: Any, user: User, status: str, number: str) -> BuyTechOrder:
    today = today_for(organisation)
    with across_organisations():
        return BuyTechOrder.objects.create(
            organisation=organisation,
            number=number,
            sequence=int(number[-4:]),
            status=status,
            ordered_by=user,
            partner_id="P-1",
            fee_reference="+++000/0000/00097+++",
            payment_reference="+++000/0000/00097+++",
            reserved_on=today,
            processing_due=today + timedelta(weeks=8),
        )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- contracts ------------------------------------------------------------------------------------


def test_a_contract_to_sign_waits_for_a_signatory_only(customer_a, org_a, org_b, customer_b) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, status=ContractStatus.AWAITING_SIGNATURE, title="Maintenance 2027")
    make_contract(org_b, status=ContractStatus.AWAITING_SIGNATURE)
    assert "contract_signature" not in kinds(client_for(customer_a))  # an admin, not a signatory
    signatory(customer_a)
    home = client_for(customer_a).get(reverse("portal:home"))
    [item] = [i for i in home.context["home"].attention if i.kind == "contract_signature"]
    assert (item.number, item.url) == (contract.number, reverse("contracts:sign", args=[contract.number]))
    assert contract.number in home.content.decode()
    # customer_b is a signatory of nothing in org_a, and their own org's contract is theirs only
    assert "contract_signature" not in kinds(client_for(customer_b))
    revoke(customer_a, Application.CONTRACTS)
    assert "contract_signature" not in kinds(client_for(customer_a))


def test_a_renewal_within_90_days_appears_with_its_date(customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    today = today_for(org_a)
    soon = make_contract(org_a, renewal_date=today + timedelta(days=30))
    make_contract(org_a, renewal_date=today + timedelta(days=91))  # outside the window
    make_contract(org_a, status=ContractStatus.TERMINATED, renewal_date=today + timedelta(days=5))
    items = client_for(customer_a).get(reverse("portal:home")).context["home"].attention
    renewals = [i for i in items if i.kind == "contract_renewal"]
    assert [(i.number, i.due) for i in renewals] == [(soon.number, today + timedelta(days=30))]


# --- requests -------------------------------------------------------------------------------------


def test_a_request_waiting_for_a_reply_waits_for_its_requester(customer_a, org_a, org_b, customer_b) -> None:  # type: ignore[no-untyped-def]
    colleague = make_member(org_a, email="colleague@example.com")
    grant_all(colleague, org_a)
    request = make_request(org_a, customer_a)
    make_request(org_a, customer_a, status=Status.IN_PROGRESS)
    items = client_for(customer_a).get(reverse("portal:home")).context["home"].attention
    assert [(i.kind, i.number) for i in items if i.kind == "request_reply"] == [("request_reply", request.number)]
    assert "request_reply" not in kinds(client_for(colleague))  # the agent waits for the one who asked
    assert "request_reply" not in kinds(client_for(customer_b))
    revoke(customer_a, Application.REQUESTS)
    assert "request_reply" not in kinds(client_for(customer_a))


# --- invoices -------------------------------------------------------------------------------------


def test_overdue_invoices_are_one_item_with_count_total_and_oldest_due_day(
    customer_a, org_a, org_b, customer_b
) -> None:  # type: ignore[no-untyped-def]
    first = overdue_invoice(org_a, days_late=20)
    overdue_invoice(org_a, days_late=3)
    overdue_invoice(org_b)
    with tenant_scope(org_a):
        billing_services.invoice_issue(  # not due yet
            actor=None,
            organisation=org_a,
            lines=[billing_rules.LineIn("Toner", Decimal("1"), Decimal("100.00"))],
            issue_date=today_for(org_a),
        )
    client = client_for(customer_a)
    [item] = [i for i in client.get(reverse("portal:home")).context["home"].attention if i.kind == "invoices_overdue"]
    assert item.due == first.due_date
    assert item.title.startswith("2 overdue invoices")
    assert "€242.00" in item.title  # 2 x (100 + 21 % VAT), in the organisation's currency
    assert item.url == reverse("billing:invoices") + "?status=overdue"
    assert client.get(item.url).status_code == 200
    # the Romanian organisation's item counts its own invoice in lei
    [other] = [i for i in client_for(customer_b).get(reverse("portal:home")).context["home"].attention]
    assert other.title.startswith("1 overdue invoice,") and "RON" in other.title
    revoke(customer_a, Application.INVOICES)
    assert "invoices_overdue" not in kinds(client)


# --- Buy Tech -------------------------------------------------------------------------------------


def test_buytech_orders_waiting_for_the_fee_the_agreements_or_the_payment(customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    make_buytech_order(org_a, customer_a, OrderStatus.RESERVED, "BT-2026-0001")
    confirmed = make_buytech_order(org_a, customer_a, OrderStatus.CONFIRMED, "BT-2026-0002")
    make_buytech_order(org_a, customer_a, OrderStatus.PAID, "BT-2026-0003")
    client = client_for(customer_a)
    assert sorted(k for k in kinds(client) if k.startswith("buytech")) == ["buytech_fee"]  # agreements: signatories
    signatory(customer_a)
    assert sorted(k for k in kinds(client) if k.startswith("buytech")) == ["buytech_agreements", "buytech_fee"]
    with across_organisations():
        confirmed.relationship_agreement = make_contract(org_a)
        confirmed.devices_agreement = make_contract(org_a)
        confirmed.save()
    assert sorted(k for k in kinds(client) if k.startswith("buytech")) == ["buytech_fee", "buytech_payment"]
    revoke(customer_a, Application.BUYTECH)
    assert not [k for k in kinds(client) if k.startswith("buytech")]


def test_buytech_is_not_asked_outside_belgium(customer_b, org_b) -> None:  # type: ignore[no-untyped-def]
    make_buytech_order(org_b, customer_b, OrderStatus.RESERVED, "BT-2026-0009")
    assert not [k for k in kinds(client_for(customer_b)) if k.startswith("buytech")]


# --- access ---------------------------------------------------------------------------------------


def test_access_and_join_requests_wait_for_customer_admins(customer_a, org_a, customer_no_grant, org_b) -> None:  # type: ignore[no-untyped-def]
    with across_organisations():
        AccessRequest.objects.create(organisation=org_a, user=customer_no_grant, application=Application.ORDERS)
        JoinRequest.objects.create(organisation=org_a, user=UserFactory(email="applicant@example.com"))
        JoinRequest.objects.create(organisation=org_b, user=UserFactory(email="other@example.com"))
    items = client_for(customer_a).get(reverse("portal:home")).context["home"].attention
    assert sorted(i.kind for i in items) == ["access_request", "join_request"]
    assert all(i.url.startswith(reverse("portal:team")) for i in items)
    # a member who is not an admin decides nothing (and sees no application here)
    assert client_for(customer_no_grant).get(reverse("portal:home")).context["home"].attention == []


# --- figures --------------------------------------------------------------------------------------


def test_figures_per_granted_application(customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    today = today_for(org_a)
    make_request(org_a, customer_a, status=Status.SUBMITTED)
    contract = make_contract(org_a)
    with across_organisations():
        covered = Machine.objects.create(
            organisation=org_a, machine_type="9009", model="22A", serial="C1", site_country="BE"
        )
        Machine.objects.create(
            organisation=org_a,
            machine_type="9009",
            model="22A",
            serial="W1",
            site_country="BE",
            warranty_end=today + timedelta(days=10),
        )
        Machine.objects.create(organisation=org_a, machine_type="9009", model="22A", serial="N1", site_country="BE")
        Machine.objects.create(
            organisation=org_a,
            machine_type="9009",
            model="22A",
            serial="D1",
            site_country="BE",
            departed_on=today - timedelta(days=1),
        )
    cover(contract, today - timedelta(days=100), machine=covered)
    overdue_invoice(org_a)
    revoke(customer_a, Application.ORDERS)
    home = client_for(customer_a).get(reverse("portal:home"))
    tiles = {tile.application: {f.label: f.value for f in tile.figures} for tile in home.context["home"].figures}
    assert "orders" not in tiles
    assert tiles["requests"] == {"open request": "1"}
    assert tiles["contracts"] == {"active contract": "1"}
    assert tiles["inventory"] == {"machines": "3", "not covered": "1"}
    assert tiles["invoices"] == {"open balance": "€121.00"}
    assert 'data-application="orders"' not in home.content.decode()


def test_an_application_with_nothing_yet_says_where_to_start(customer_a) -> None:  # type: ignore[no-untyped-def]
    html = client_for(customer_a).get(reverse("portal:home")).content.decode()
    assert "Nothing in progress here yet." in html
    assert 'data-testid="attention-empty"' in html


# --- the API --------------------------------------------------------------------------------------


def test_the_api_lists_the_same_items(customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    signatory(customer_a)
    contract = make_contract(org_a, status=ContractStatus.AWAITING_SIGNATURE)
    overdue_invoice(org_a)
    client = client_for(customer_a)
    page = client.get(reverse("portal:home")).context["home"].attention
    body = client.get("/api/v1/attention").json()
    assert body["count"] == len(page) == 2
    assert [(i["kind"], i["number"]) for i in body["items"]] == [(i.kind, i.number) for i in page]
    signature = next(i for i in body["items"] if i["kind"] == "contract_signature")
    assert signature["number"] == contract.number and signature["due"] is None
    overdue = next(i for i in body["items"] if i["kind"] == "invoices_overdue")
    assert overdue["number"] == "" and overdue["due"] == str(page[0].due or page[1].due)


def test_the_api_answers_for_the_organisation_asked_and_no_other(customer_a, org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    overdue_invoice(org_b)
    client = client_for(customer_a)
    assert client.get("/api/v1/attention").json() == {"items": [], "count": 0}
    foreign = client.get("/api/v1/attention", headers={"X-Organisation": org_b.customer_number})
    assert foreign.status_code == 404


def test_the_api_is_for_customers(agent_be) -> None:  # type: ignore[no-untyped-def]
    assert client_for(agent_be).get("/api/v1/attention").status_code == 403
    assert Client().get("/api/v1/attention").status_code == 401
