"""Global search's world: org_a (BE) and org_b (RO) each with a request, an invoice, an order
with a parcel, a contract and a machine; made through the contexts' own test helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import Organisation, User
from guichet.billing import services as billing_services
from guichet.billing.models import Invoice
from guichet.contracts.models import Contract
from guichet.core.tenancy import tenant_scope
from guichet.inventory.models import Machine
from guichet.orders import services as order_services
from guichet.orders.models import Order, OrderLine, Shipment
from guichet.support import services as support_services
from guichet.support.models import Request
from tests.billing.conftest import LINES
from tests.contracts.conftest import make_contract
from tests.inventory.conftest import make_machine


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@dataclass
class Holdings:
    request: Request
    invoice: Invoice
    order: Order
    shipment: Shipment
    contract: Contract
    machine: Machine


@pytest.fixture
def holdings():  # type: ignore[no-untyped-def]
    def make(organisation: Organisation, user: User, *, serial: str, tracking: str) -> Holdings:
        with tenant_scope(organisation):
            request = support_services.request_submit(
                actor=user,
                organisation=organisation,
                type="invoices",
                subject="Imprimante bloquée au deuxième étage",
                description="Le bac 2 coince chaque feuille.",
                details={"invoice_number": "INV-2026-1"},
                contact={"name": user.get_full_name(), "email": user.email},
            )
            invoice = billing_services.invoice_issue(
                actor=None, organisation=organisation, lines=LINES, issue_date=date(2026, 3, 12)
            )
            order = order_services.order_create(
                actor=user, organisation=organisation, lines=[order_services.LineIn("P-1", "Toner", 2)]
            )
            line = OrderLine.objects.filter(order=order).order_by("position").first()
            assert line is not None
            shipment = order_services.shipment_add(
                actor=None, order=order, carrier="bpost", tracking_number=tracking, quantities={line.pk: 1}
            )
        contract = make_contract(organisation, title="Maintenance des serveurs")
        machine = make_machine(organisation, serial=serial)
        return Holdings(request, invoice, order, shipment, contract, machine)

    return make


@pytest.fixture
def world(org_a, org_b, customer_a, customer_b, holdings):  # type: ignore[no-untyped-def]
    return {
        "a": holdings(org_a, customer_a, serial="78AB001", tracking="323299900000000000420001"),
        "b": holdings(org_b, customer_b, serial="99XY777", tracking="323299900000000000420002"),
    }
