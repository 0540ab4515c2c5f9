"""The customer home and the console home cost the same number of queries with little data as with a
lot, whether their answers are computed (after a write) or kept (core/home.py): kept, within the
issue's budget of 10 queries for the whole request."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import AccessRequest, Application, JoinRequest, Membership, User
from guichet.billing.models import Invoice
from guichet.buytech.models import BuyTechOrder, OrderStatus
from guichet.contracts.models import ContractStatus
from guichet.core import data_versions
from guichet.core.calendar import today_for
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import Machine
from guichet.orders.models import Order
from guichet.support.models import Request, Status
from tests.accounts.factories import UserFactory
from tests.contracts.conftest import cover, make_contract

pytestmark = pytest.mark.django_db

_numbers = count(1000)
BUDGET = 10  # queries for the whole request (issue 17), the session and the membership included
LABELS = ("accounts", "billing", "buytech", "contracts", "inventory", "orders", "support")


def seed(organisation: Any, user: User, n: int) -> None:
    """`n` rows of every kind the home reads: more than one kind's item cap when n is large."""
    today = today_for(organisation)
    now = timezone.now()
    with across_organisations():
        for _ in range(n):
            k = next(_numbers)
            make_contract(organisation, status=ContractStatus.AWAITING_SIGNATURE)
            active = make_contract(organisation, renewal_date=today + timedelta(days=10))
            machine = Machine.objects.create(
                organisation=organisation, machine_type="9009", model="22A", serial=f"S{k}", site_country="BE"
            )
            cover(active, today - timedelta(days=5), machine=machine)
            Machine.objects.create(
                organisation=organisation, machine_type="9009", model="22A", serial=f"U{k}", site_country="BE"
            )
            Request.objects.create(
                organisation=organisation,
                number=f"R-{k}",
                type="invoices",
                status=Status.WAITING if k % 2 else Status.SUBMITTED,
                subject="Copie",
                description="…",
                requester=user,
                contact_name="A",
                contact_email="a@example.com",
                language="fr",
                resolution_due=now + timedelta(hours=k % 30 - 10),
                created_at=now - timedelta(days=k % 20),
                resolved_at=now - timedelta(days=k % 7) if k % 3 == 0 else None,
            )
            Invoice.objects.create(
                organisation=organisation,
                number=f"INV-{k}",
                issue_date=today - timedelta(days=60),
                due_date=today - timedelta(days=30),
                currency="EUR",
                status="open",
                net_total=Decimal("100"),
                tax_total=Decimal("21"),
                total=Decimal("121"),
                country="BE",
            )
            BuyTechOrder.objects.create(
                organisation=organisation,
                number=f"BT-{k}",
                sequence=k,
                status=OrderStatus.RESERVED if k % 2 else OrderStatus.CONFIRMED,
                ordered_by=user,
                partner_id="P",
                fee_reference="x",
                payment_reference="y",
                reserved_on=today,
                processing_due=today,
            )
            Order.objects.create(
                organisation=organisation,
                number=f"O-{k}",
                status="processing",
                ordered_on=today,
                currency="EUR",
                placed_by=user,
            )
            applicant = UserFactory()
            JoinRequest.objects.create(organisation=organisation, user=applicant)
            AccessRequest.objects.create(organisation=organisation, user=applicant, application=Application.ORDERS)


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def computed(client: Client, path: str) -> int:
    """The queries when nothing is kept: as right after a write to every application."""
    data_versions.bump(LABELS)
    return queries(client, path)


def kept(client: Client, path: str) -> int:
    """The queries when the answers are kept (the first request keeps them)."""
    queries(client, path)
    return queries(client, path)


def test_customer_home_query_count_does_not_grow_with_data(customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.filter(user=customer_a).update(is_signatory=True)
    client = Client()
    client.force_login(customer_a)
    home, api = reverse("portal:home"), "/api/v1/attention"
    seed(org_a, customer_a, 1)
    queries(client, home)  # warm the caches (support centre, session)
    small = computed(client, home), computed(client, api)
    small_kept = kept(client, home), kept(client, api)
    seed(org_a, customer_a, 14)
    large = computed(client, home), computed(client, api)
    assert large == small
    assert (kept(client, home), kept(client, api)) == small_kept
    assert max(small_kept) <= BUDGET
    assert small_kept[0] < small[0]
    # and the large organisation's items are capped per kind, not dropped or multiplied
    items = client.get(home).context["home"].attention
    assert len([i for i in items if i.kind == "contract_signature"]) == 10
    assert len([i for i in items if i.kind == "invoices_overdue"]) == 1


def test_console_home_query_count_does_not_grow_with_data(customer_a, org_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(agent_be)
    home = reverse("console:home")
    seed(org_a, customer_a, 1)
    queries(client, home)
    small = computed(client, home)
    small_kept = kept(client, home)
    seed(org_a, customer_a, 14)
    assert computed(client, home) == small
    assert kept(client, home) == small_kept <= BUDGET
