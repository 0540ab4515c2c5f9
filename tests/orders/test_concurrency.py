"""The same carrier event delivered twice at the same moment: one change, one e-mail."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from guichet.core.models import OutboxMessage
from guichet.core.tenancy import tenant_scope
from guichet.orders import services
from guichet.orders.models import OrderEvent, TrackingEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)")
def test_simultaneous_duplicates_apply_once(org_a, customer_a, two_parcels) -> None:  # type: ignore[no-untyped-def]
    _order, disks, _server = two_parcels(org_a, customer_a)
    start = threading.Barrier(4)
    outcomes: list[object] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            start.wait()
            with tenant_scope(org_a):
                outcomes.append(
                    services.shipment_record_event(
                        actor=None,
                        shipment=disks,
                        event_id="hub:same-event",
                        status="delivered",
                        occurred_at=timezone.now(),
                        source="test",
                    )
                )
        except BaseException as error:  # reported below, from the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(o.duplicate for o in outcomes) == [False, True, True, True]  # type: ignore[attr-defined]
    with tenant_scope(org_a):
        assert TrackingEvent.objects.filter(event_id="hub:same-event").count() == 1
        assert OrderEvent.objects.filter(kind="shipment_status", status="delivered").count() == 1
    assert OutboxMessage.objects.filter(template="order_shipment_update").count() == 1
