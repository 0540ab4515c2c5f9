"""Customer and console pages: list with filters, order with parcels, tracking links and chart; agents' forms."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from guichet.core.tenancy import tenant_scope
from guichet.orders import services
from guichet.orders.models import Shipment
from tests.orders.conftest import BPOST, UPS, lines_of, url

pytestmark = pytest.mark.django_db


def test_list_filters_and_empty_states(client, org_a, customer_a, make_order) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    empty = client.get(url("orders:list"))
    assert empty.status_code == 200 and b'data-testid="empty-state"' in empty.content
    first = make_order(org_a, customer_a, purchase_order="PO-ALPHA")
    second = make_order(org_a, customer_a, purchase_order="PO-BETA")
    page = client.get(url("orders:list")).content.decode()
    assert first.number in page and second.number in page
    only_beta = client.get(url("orders:list"), {"q": "beta"}).content.decode()
    assert second.number in only_beta and first.number not in only_beta
    none = client.get(url("orders:list"), {"status": "delivered"})
    assert b"No order matches these filters." in none.content
    bad = client.get(url("orders:list"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert bad.status_code == 400 and b"invalid-feedback" in bad.content
    garbage = client.get(url("orders:list"), {"date_from": "not a date", "status": "nope"})
    assert garbage.status_code == 400


def test_detail_shows_parcels_tracking_links_chart_and_question_link(client, org_a, customer_a, two_parcels) -> None:  # type: ignore[no-untyped-def]
    order, disks, _server = two_parcels(org_a, customer_a)
    with tenant_scope(org_a):
        services.shipment_record_event(
            actor=None,
            shipment=disks,
            event_id="p1",
            status="delivered",
            occurred_at=timezone.now(),
            location="Ixelles",
        )
    client.force_login(customer_a)
    response = client.get(url("orders:detail", number=order.number))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="https://www.ups.com/track?tracknum={UPS}"' in page
    assert BPOST in page and 'rel="noopener noreferrer"' in page
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in page
    assert 'data-testid="timeline"' in page and "Ixelles" in page
    assert "type=orders" in page and f"order_number={order.number}" in page
    assert "Partially delivered" in page


def test_foreign_and_missing_orders_are_the_same_404(client, org_a, customer_a, customer_b, make_order) -> None:  # type: ignore[no-untyped-def]
    order = make_order(org_a, customer_a)
    client.force_login(customer_b)
    foreign = client.get(url("orders:detail", number=order.number))
    missing = client.get(url("orders:detail", number="BE-ORD-1999-0001"))
    assert foreign.status_code == missing.status_code == 404


def test_pages_in_french(client, org_a, customer_a, two_parcels) -> None:  # type: ignore[no-untyped-def]
    order, _disks, _server = two_parcels(org_a, customer_a)
    client.force_login(customer_a)
    assert client.get(url("orders:detail", "fr", number=order.number)).status_code == 200
    assert client.get(url("orders:list", "ro")).status_code == 200


def test_agent_adds_a_parcel_and_posts_a_status(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_order, django_capture_on_commit_callbacks
) -> None:
    order = make_order(org_a, customer_a)
    server, disks = lines_of(order)
    client.force_login(agent_be)
    found = client.get(url("orders_console:find"), {"q": order.number})
    assert order.number in found.content.decode()
    detail = client.get(url("orders_console:detail", number=order.number))
    assert detail.status_code == 200 and b'data-testid="shipment-form"' in detail.content

    too_many = client.post(
        url("orders_console:add_shipment", number=order.number),
        {"carrier": "bpost", "tracking_number": BPOST, f"line_{disks.pk}": "7"},
    )
    assert too_many.status_code == 400
    bad_number = client.post(
        url("orders_console:add_shipment", number=order.number),
        {"carrier": "ups", "tracking_number": "12345", f"line_{server.pk}": "1"},
    )
    assert bad_number.status_code == 400 and b"UPS" in bad_number.content
    added = client.post(
        url("orders_console:add_shipment", number=order.number),
        {"carrier": "bpost", "tracking_number": "3232 9990 0000 0000 0042 0001", f"line_{disks.pk}": "6"},
    )
    assert added.status_code == 303
    with tenant_scope(org_a):
        assert Shipment.objects.get(order=order).tracking_number == BPOST

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            url("orders_console:status", number=order.number),
            {"shipment": BPOST, "status": "in_transit", "location": "Bruxelles X"},
        )
    assert posted.status_code == 303
    order.refresh_from_db()
    assert order.status == "partially_shipped"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [customer_a.email]
    invalid = client.post(url("orders_console:status", number=order.number), {"shipment": "nope", "status": "x"})
    assert invalid.status_code == 400


def test_agents_of_another_country_get_404(client, org_a, customer_a, agent_ro, make_order) -> None:  # type: ignore[no-untyped-def]
    order = make_order(org_a, customer_a)
    client.force_login(agent_ro)
    assert client.get(url("orders_console:detail", number=order.number)).status_code == 404
    assert order.number not in client.get(url("orders_console:find")).content.decode()
    post = client.post(url("orders_console:status", number=order.number), {"shipment": BPOST, "status": "delivered"})
    assert post.status_code == 404


def test_customers_cannot_use_the_console(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert client.get(url("orders_console:find")).status_code == 403


def test_a_canadian_order_in_french_with_canadian_carriers(client) -> None:  # type: ignore[no-untyped-def]
    from tests.accounts.factories import OrganisationFactory, grant_all, make_member

    organisation = OrganisationFactory(country="CA", province="QC", language="fr")
    customer = make_member(organisation, role="admin", language="fr", email="qc@example.com")
    grant_all(customer, organisation, ["orders"])
    with tenant_scope(organisation):
        order = services.order_create(
            actor=customer, organisation=organisation, lines=[services.LineIn("8286-42A-MEM", "Mémoire 64 Go", 4, 1290)]
        )
        line = lines_of(order)[0]
        services.shipment_add(
            actor=None, order=order, carrier="purolator", tracking_number="335200231234", quantities={line.pk: 3}
        )
        services.shipment_add(
            actor=None, order=order, carrier="canada_post", tracking_number="RR123456785CA", quantities={line.pk: 1}
        )
    assert order.number.startswith("CA-ORD-") and order.currency == "CAD"
    client.force_login(customer)
    page = client.get(url("orders:detail", "fr", number=order.number)).content.decode()
    # The carriers' own French pages for a French reader (issue 14).
    assert "https://www.purolator.com/fr/shipping/tracker?pin=335200231234" in page
    assert "/track-reperage/fr#/search?searchFor=RR123456785CA" in page
    assert "5\xa0160,00\xa0$" in page  # fr_CA (babel): no-break spaces, "$" after the amount
