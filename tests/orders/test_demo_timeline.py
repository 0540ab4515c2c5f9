"""The demo orders' timelines run forwards: placed, accepted, parcels added, then what the carriers said."""

from __future__ import annotations

import pytest

from guichet.core.tenancy import tenant_scope
from guichet.orders import demo, selectors
from guichet.orders.models import Order
from tests.accounts.factories import OrganisationFactory, make_agent, make_member

pytestmark = pytest.mark.django_db


def test_every_demo_timeline_runs_forwards() -> None:
    atelier = OrganisationFactory(customer_number="BE-100001", country="BE", language="fr")
    make_member(atelier, role="admin", email="marie.demo@example.com")
    make_agent("BE", email="agent.demo@example.com")
    assert demo.seed() > 0
    with tenant_scope(atelier):
        orders = list(Order.objects.filter(organisation=atelier))
        assert orders
        for order in orders:
            events = selectors.timeline_of(order)
            moments = [event.at for event in events]
            assert moments == sorted(moments), order.number
            assert events[0].kind == "placed" and order.accepted_at is not None
            assert all(event.at >= events[0].at for event in events)
            kinds = [event.kind for event in events]
            if "shipment_added" in kinds:
                assert kinds.index("order_status") < kinds.index("shipment_added"), kinds
            # A parcel reports nothing before it was added to the order, nor before the order was accepted.
            added = {event.shipment_id: event.at for event in events if event.kind == "shipment_added"}
            for event in events:
                if event.kind == "shipment_status":
                    assert event.at >= added[event.shipment_id] >= order.accepted_at, (order.number, kinds)
