"""Order services: numbers, parcels within ordered quantities, carrier events once each, e-mails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from guichet.core.errors import Conflict, DomainError
from guichet.core.models import AuditEvent, OutboxMessage
from guichet.core.tenancy import tenant_scope
from guichet.orders import services
from guichet.orders.models import Order, OrderEvent, TrackingEvent
from tests.accounts.factories import make_member
from tests.orders.conftest import BPOST, UPS, lines_of

pytestmark = pytest.mark.django_db


def record(shipment, status: str, event_id: str, when=None, **extra):  # type: ignore[no-untyped-def]
    with tenant_scope(shipment.organisation):
        return services.shipment_record_event(
            actor=None,
            shipment=shipment,
            event_id=event_id,
            status=status,
            occurred_at=when or timezone.now(),
            source="test",
            **extra,
        )


def test_numbers_follow_country_and_year_and_skip_imported_ones(org_a, customer_a, make_order) -> None:  # type: ignore[no-untyped-def]
    year = timezone.localdate().year
    make_order(org_a, customer_a, number=f"BE-ORD-{year}-0002")
    first = make_order(org_a, customer_a)
    second = make_order(org_a, customer_a)
    assert (first.number, second.number) == (f"BE-ORD-{year}-0001", f"BE-ORD-{year}-0003")
    assert first.currency == "EUR" and first.status == "placed"
    with pytest.raises(Conflict):
        make_order(org_a, customer_a, number=first.number)


def test_order_needs_lines_with_positive_quantities(org_a, customer_a, make_order) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        make_order(org_a, customer_a, lines=[])
    with pytest.raises(DomainError):
        make_order(org_a, customer_a, lines=[services.LineIn("X", "x", 0)])


def test_a_line_never_ships_more_than_ordered(org_a, customer_a, make_order) -> None:  # type: ignore[no-untyped-def]
    order = make_order(org_a, customer_a)
    _server, disks = lines_of(order)
    with tenant_scope(org_a):
        services.shipment_add(actor=None, order=order, carrier="bpost", tracking_number=BPOST, quantities={disks.pk: 4})
        with pytest.raises(DomainError) as error:
            services.shipment_add(actor=None, order=order, carrier="ups", tracking_number=UPS, quantities={disks.pk: 3})
        assert error.value.code == "too_many_shipped"
        services.shipment_add(actor=None, order=order, carrier="ups", tracking_number=UPS, quantities={disks.pk: 2})
        order.refresh_from_db()
    assert order.status == "processing"


def test_bad_tracking_number_unknown_carrier_and_foreign_line_are_refused(org_a, org_b, customer_a, make_order) -> None:  # type: ignore[no-untyped-def]
    order = make_order(org_a, customer_a)
    other = make_order(org_b, None)
    server, _disks = lines_of(order)
    foreign_line = lines_of(other)[0]
    with tenant_scope(org_a):
        with pytest.raises(DomainError) as bad:
            services.shipment_add(
                actor=None, order=order, carrier="ups", tracking_number="1Z12", quantities={server.pk: 1}
            )
        assert bad.value.code == "invalid_tracking_number"
        with pytest.raises(DomainError) as unknown:
            services.shipment_add(
                actor=None, order=order, carrier="pigeon", tracking_number="1", quantities={server.pk: 1}
            )
        assert unknown.value.code == "unknown_carrier"
        with pytest.raises(DomainError) as foreign:
            services.shipment_add(
                actor=None, order=order, carrier="ups", tracking_number=UPS, quantities={foreign_line.pk: 1}
            )
        assert foreign.value.code == "unknown_line"


def test_two_parcels_to_delivery_move_the_order_and_tell_the_customer(  # type: ignore[no-untyped-def]
    org_a, customer_a, two_parcels, django_capture_on_commit_callbacks
) -> None:
    colleague = make_member(org_a, role="member", email="colleague@example.com")
    order, disks, server = two_parcels(org_a, customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert record(disks, "in_transit", "e1", location="Bruxelles X").applied
    order.refresh_from_db()
    assert order.status == "partially_shipped"
    with django_capture_on_commit_callbacks(execute=True):
        record(disks, "delivered", "e2")
        record(server, "in_transit", "e3")
    order.refresh_from_db()
    assert order.status == "partially_delivered"
    with django_capture_on_commit_callbacks(execute=True):
        record(server, "delivered", "e4")
    order.refresh_from_db()
    disks.refresh_from_db()
    assert order.status == "delivered"
    assert disks.dispatched_at is not None and disks.delivered_at is not None
    assert [line.status for line in lines_of(order)] == ["delivered", "delivered"]
    # Every status change went out, in French (the customer's language), and only to customer_a (admin, placed it).
    assert len(mail.outbox) == 4
    assert {m.to[0] for m in mail.outbox} == {customer_a.email} != {colleague.email}
    assert order.number in mail.outbox[0].subject and mail.outbox[0].alternatives
    assert BPOST in mail.outbox[0].body and "Bruxelles X" in mail.outbox[0].body
    with tenant_scope(org_a):
        kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", "status"))
    assert ("order_status", "delivered") in kinds and ("shipment_status", "in_transit") in kinds
    assert AuditEvent.objects.filter(action="order.shipment_status", target=order.number).count() == 4


def test_the_same_event_twice_changes_nothing_and_sends_nothing(  # type: ignore[no-untyped-def]
    org_a, customer_a, two_parcels, django_capture_on_commit_callbacks
) -> None:
    _order, disks, server = two_parcels(org_a, customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        first = record(disks, "in_transit", "same")
        again = record(disks, "in_transit", "same")
    assert (first.duplicate, again.duplicate) == (False, True)
    assert len(mail.outbox) == 1
    with pytest.raises(Conflict):
        record(server, "in_transit", "same")
    with tenant_scope(org_a):
        assert TrackingEvent.objects.filter(event_id="same").count() == 1


def test_a_late_older_event_is_kept_but_does_not_move_the_parcel_back(org_a, customer_a, two_parcels) -> None:  # type: ignore[no-untyped-def]
    _order, disks, _server = two_parcels(org_a, customer_a)
    now = timezone.now()
    record(disks, "delivered", "late-2", when=now)
    outcome = record(disks, "in_transit", "late-1", when=now - timedelta(hours=5))
    disks.refresh_from_db()
    assert not outcome.applied and disks.status == "delivered"
    with tenant_scope(org_a):
        assert TrackingEvent.objects.get(event_id="late-1").applied is False
    assert OutboxMessage.objects.count() == 1


def test_unknown_status_is_refused(org_a, customer_a, two_parcels) -> None:  # type: ignore[no-untyped-def]
    _order, disks, _server = two_parcels(org_a, customer_a)
    with pytest.raises(DomainError):
        record(disks, "teleported", "x")


def test_cancel_before_anything_left_and_not_after(org_a, customer_a, make_order, two_parcels) -> None:  # type: ignore[no-untyped-def]
    order = make_order(org_a, customer_a)
    with tenant_scope(org_a):
        assert services.order_cancel(actor=customer_a, order=order).status == "cancelled"
    shipped, disks, _server = two_parcels(org_a, customer_a, purchase_order="PO-2")
    record(disks, "in_transit", "c1")
    with tenant_scope(org_a), pytest.raises(Conflict):
        services.order_cancel(actor=customer_a, order=shipped)
    with tenant_scope(org_a):
        assert Order.objects.get(pk=shipped.pk).status == "partially_shipped"


def test_a_report_from_the_future_is_taken_as_now(org_a, customer_a, two_parcels) -> None:  # type: ignore[no-untyped-def]
    _order, disks, _server = two_parcels(org_a, customer_a)
    record(disks, "in_transit", "f1", when=timezone.now() + timedelta(days=2))
    assert record(disks, "delivered", "f2").applied
    disks.refresh_from_db()
    assert disks.status == "delivered" and disks.delivered_at <= timezone.now()


def test_each_admin_is_told_in_their_own_language(  # type: ignore[no-untyped-def]
    org_a, customer_a, two_parcels, django_capture_on_commit_callbacks
) -> None:
    colleague = make_member(org_a, role="admin", email="admin.ro@example.com", language="ro", first_name="Ana")
    _order, disks, _server = two_parcels(org_a, customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        record(disks, "in_transit", "lang-1")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert set(bodies) == {customer_a.email, colleague.email}
    assert "Bonjour" in bodies[customer_a.email] and "Ana" in bodies[colleague.email]
    assert "Bună ziua" in bodies[colleague.email]
