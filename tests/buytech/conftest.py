"""Buy Tech fixtures: an eligible Belgian nonprofit, its buyer, a Belgian agent, the demo catalogue, a clock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from guichet.accounts.models import Membership, Organisation, User
from guichet.buytech import demo, rules, services
from guichet.buytech.models import BuyTechOrder, EligibilitySource, Product
from guichet.core.tenancy import across_organisations, tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member

BPOST = "323212345678901234567890"
BPOST_2 = "323212345678901234567891"


class Clock:
    """The program's "today" (Brussels), set by the test."""

    def __init__(self) -> None:
        self.today = date(2026, 3, 2)  # a Monday

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(services.clock, "today", clock)
    return clock


@pytest.fixture
def catalogue(db: Any) -> dict[str, Product]:
    demo._products()
    return {p.sku: p for p in Product.objects.all()}


@pytest.fixture
def nonprofit(db: Any) -> Organisation:
    return OrganisationFactory(
        country="BE", name="Atelier Test ASBL", language="fr", is_nonprofit=True, partner_id="SW-BE-99001"
    )


@pytest.fixture
def buyer(nonprofit: Organisation) -> User:
    user = make_member(nonprofit, role="admin", email="buyer@example.com", language="fr", first_name="Marie")
    Membership.objects.filter(user=user).update(is_signatory=True)
    grant_all(user, nonprofit, ["buytech", "requests", "contracts"])
    return user


def make_eligible(organisation: Organisation, signer: User) -> None:
    services.eligibility_set(
        actor=None, organisation=organisation, status=rules.ELIGIBLE, source=EligibilitySource.PARTNER_IMPORT
    )
    with tenant_scope(organisation):
        services.attestation_sign(actor=signer, organisation=organisation)


@pytest.fixture
def eligible(nonprofit: Organisation, buyer: User) -> Organisation:
    make_eligible(nonprofit, buyer)
    return nonprofit


@pytest.fixture
def agent(db: Any) -> User:
    return make_agent("BE", email="agent.bt@example.com")


def sign_agreements(order: BuyTechOrder) -> None:
    """What the contracts context's signing leaves: both agreements active."""
    from guichet.contracts.models import Contract, ContractStatus

    with across_organisations():
        Contract.objects.filter(pk__in=[order.relationship_agreement_id, order.devices_agreement_id]).update(
            status=ContractStatus.ACTIVE
        )


def reserve(organisation: Organisation, user: User, items: dict[str, int]) -> BuyTechOrder:
    with tenant_scope(organisation):
        return services.order_reserve(actor=user, organisation=organisation, items=items)


def forward(order: BuyTechOrder, agent: User) -> BuyTechOrder:
    """The partner received the whole administrative fee: the order is with the vendor."""
    return services.order_record_fee(actor=agent, order=order, amount=services.order_fees(order))


def deliver_all(order: BuyTechOrder, agent: User, clock: Clock, items: dict[str, int] | None = None) -> BuyTechOrder:
    """Confirm, sign, pay, ship everything in one parcel and deliver it today."""
    organisation = order.organisation
    with tenant_scope(organisation):
        order = services.order_confirm(actor=agent, order=forward(order, agent))
        sign_agreements(order)
        order.refresh_from_db()
        order = services.order_record_payment(actor=agent, order=order, amount=services.order_price(order))
        positions = list(order.lines.values_list("position", flat=True))
        shipment = services.shipment_create(
            actor=agent, order=order, positions=positions, carrier="bpost", tracking_number=BPOST
        )
        services.shipment_deliver(actor=agent, shipment=shipment, delivered_on=clock.today)
        order.refresh_from_db()
    return order


def money(value: str) -> Decimal:
    return Decimal(value)
