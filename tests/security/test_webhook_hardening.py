"""Issue 16, item 7 and 6: the carriers' webhook binds each secret to its carriers, refuses events dated
ahead of our clock, and answers a NUL byte in `location` with a 400, not a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from guichet.core.tenancy import tenant_scope
from guichet.orders.models import Shipment
from tests.orders.conftest import (  # noqa: F401 - fixtures used by name
    BPOST,
    UPS,
    _webhook_secret,
    event_body,
    make_order,
    post_event,
    two_parcels,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcels(org_a, customer_a, two_parcels):  # type: ignore[no-untyped-def]  # noqa: F811
    return two_parcels(org_a, customer_a)


@pytest.fixture
def carrier_secrets(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHIPMENT_WEBHOOK_SECRETS = "bpost:bpost-secret,ups:ups-secret"


def test_a_carriers_secret_cannot_report_for_another_carrier(client: Client, parcels, carrier_secrets) -> None:  # type: ignore[no-untyped-def]
    forged = post_event(client, event_body(tracking=UPS, carrier="ups", status="delivered"), secret="bpost-secret")
    assert forged.status_code == 403 and forged.json()["code"] == "carrier_not_allowed"
    own = post_event(client, event_body(tracking=UPS, carrier="ups", event_id="e2"), secret="ups-secret")
    assert own.status_code == 200, own.content


def test_a_hub_reports_only_for_the_carriers_it_lists(client: Client, parcels, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHIPMENT_WEBHOOK_SECRETS = "hub=bpost:hub-secret"
    assert post_event(client, event_body(), secret="hub-secret").status_code == 200
    refused = post_event(client, event_body(tracking=UPS, carrier="ups", event_id="e2"), secret="hub-secret")
    assert refused.status_code == 403


def test_an_event_dated_far_ahead_is_refused_and_the_real_delivery_applies(client: Client, parcels) -> None:  # type: ignore[no-untyped-def]
    future = (timezone.now() + timedelta(days=365)).isoformat()
    response = post_event(client, event_body(status="in_transit", occurred_at=future))
    assert response.status_code == 422 and response.json()["code"] == "occurred_in_future"
    delivered = post_event(client, event_body(event_id="real", status="delivered"))
    assert delivered.status_code == 200 and delivered.json()["shipment_status"] == "delivered"


def test_a_little_clock_drift_is_accepted(client: Client, parcels) -> None:  # type: ignore[no-untyped-def]
    soon = (timezone.now() + timedelta(minutes=4)).isoformat()
    assert post_event(client, event_body(occurred_at=soon)).status_code == 200


def test_a_nul_byte_in_the_location_is_a_422(client: Client, parcels) -> None:  # type: ignore[no-untyped-def]
    response = post_event(client, event_body(location="Bruxelles\x00X"))
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    with tenant_scope(parcels[0].organisation):
        assert Shipment.objects.get(tracking_number=BPOST).status != "in_transit"
