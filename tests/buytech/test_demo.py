"""The demo: a catalogue, Atelier Solidaire eligible with its attestation, Brasserie Delvaux not; idempotent.

Atelier Solidaire also has a reserved order and one that went the whole way: delivered days ago, in two parcels.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from guichet.accounts.models import Membership
from guichet.buytech import demo, rules, selectors, services
from guichet.buytech.models import BuyTechOrder, OrderStatus, Product
from guichet.contracts.models import ContractStatus, Signature
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import OrganisationFactory, make_agent, make_member

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent() -> None:
    atelier = OrganisationFactory(
        customer_number="BE-100001", country="BE", is_nonprofit=True, partner_id="SW-BE-20731", language="fr"
    )
    brasserie = OrganisationFactory(customer_number="BE-100002", country="BE")
    marie = make_member(atelier, role="admin", email="marie@atelier-solidaire.example")
    Membership.objects.filter(user=marie).update(is_signatory=True)  # what the contracts demo leaves
    make_agent("BE", email="agent.be@guichet.example")
    first = demo.seed()
    assert first > 12
    assert Product.objects.count() == len(demo.PRODUCTS) >= 12
    assert {p.condition for p in Product.objects.all()} == {"new", "certified_used"}
    assert {"laptop", "tablet", "phone"} <= {p.kind for p in Product.objects.all()}
    assert services.gaps_of(atelier) == []
    assert rules.NOT_NONPROFIT in services.gaps_of(brasserie)
    stock = dict(Product.objects.values_list("sku", "stock"))
    assert demo.seed() == 0
    assert dict(Product.objects.values_list("sku", "stock")) == stock
    with across_organisations():
        orders = BuyTechOrder.objects.filter(organisation=atelier)
        assert list(orders.order_by("number").values_list("status", flat=True)) == [
            OrderStatus.DELIVERED,
            OrderStatus.FORWARDED,
        ]
        assert Signature.objects.filter(contract__organisation=atelier).count() == 4


def test_demo_delivered_order_went_the_whole_way() -> None:
    atelier = OrganisationFactory(
        customer_number="BE-100001", country="BE", is_nonprofit=True, partner_id="SW-BE-20731", language="fr"
    )
    marie = make_member(atelier, role="admin", email="marie@atelier-solidaire.example")
    Membership.objects.filter(user=marie).update(is_signatory=True)
    make_agent("BE", email="agent.be@guichet.example")
    demo.seed()
    today = services.clock.today()
    with across_organisations():
        order = BuyTechOrder.objects.select_related("relationship_agreement", "devices_agreement").get(
            organisation=atelier, status=OrderStatus.DELIVERED
        )
        shipments = list(order.shipments.order_by("number"))
        agreements = [order.relationship_agreement, order.devices_agreement]
        signed_by = {(s.contract_id, s.party) for s in Signature.objects.filter(contract__in=agreements)}
        parcels = [sorted(s.lines.values_list("position", flat=True)) for s in shipments]
        price = services.order_price(order)
        fees = services.order_fees(order)
    assert order.confirmed_at is not None and order.paid_amount == price and order.fee_amount == fees
    # The story runs forwards: reserved, fee received and forwarded, confirmed, paid, dispatched.
    assert order.fee_paid_at is not None and order.forwarded_on is not None
    # Dates on the programme's Belgian clock, as the demo writes them (UTC's date is a day behind
    # Brussels' from 23:00 UTC).
    local = services.clock.calendar().local
    confirmed_on, paid_on = local(order.confirmed_at).date(), local(order.paid_at).date()
    assert order.reserved_on < order.forwarded_on < confirmed_on < paid_on <= shipments[0].dispatched_on
    assert all(a.status == ContractStatus.ACTIVE for a in agreements)
    assert {party for _contract, party in signed_by} == {"customer", "vendor"} and len(signed_by) == 4
    assert parcels == [[1, 2], [3]]
    assert all(s.delivered_on is not None and s.delivered_on >= s.dispatched_on for s in shipments)
    assert order.delivered_on == max(s.delivered_on for s in shipments) < today
    with across_organisations():
        lines = selectors.view_of(order, today).lines
    assert [line.delivered_on for line in lines] == [shipments[0].delivered_on] * 2 + [shipments[1].delivered_on]
    for line in lines:
        # Days ago, yet inside the cancellation window: cancelling and returning work now, a warranty claim later.
        assert line.may_cancel and line.may_return and not line.may_claim
        assert line.cancel_until == rules.cancellation_deadline(line.delivered_on) > today
        assert line.return_until == rules.return_deadline(line.delivered_on)
        assert line.warranty_until == rules.warranty_end(line.delivered_on)
        assert rules.may_claim_warranty(line.cancel_until + timedelta(days=1), line.delivered_on)
