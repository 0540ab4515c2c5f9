"""The carriers' webhook: signed, fresh, idempotent, and never a 500 whatever arrives."""

from __future__ import annotations

import json
import time

import pytest
from django.core import mail

from guichet.core.models import AuditEvent
from guichet.core.tenancy import tenant_scope
from guichet.orders import webhook
from guichet.orders.models import Shipment, TrackingEvent
from tests.orders.conftest import BPOST, UPS, event_body, post_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcels(org_a, customer_a, two_parcels):  # type: ignore[no-untyped-def]
    return two_parcels(org_a, customer_a)


def test_a_signed_event_moves_the_parcel_and_the_order(client, parcels, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    order, _disks, _server = parcels
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, event_body())
    assert response.status_code == 200, response.content
    assert response.json() == {
        "duplicate": False,
        "applied": True,
        "order": order.number,
        "tracking_number": BPOST,
        "shipment_status": "in_transit",
        "order_status": "partially_shipped",
    }
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(action="order.shipment_status")
    assert event.actor is None and event.actor_label == "webhook:carrier-hub"


def test_the_same_event_twice_is_a_duplicate_without_a_second_email(  # type: ignore[no-untyped-def]
    client, parcels, django_capture_on_commit_callbacks
) -> None:
    body = event_body(status="delivered")
    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, body)
        second = post_event(client, body)
    assert first.json()["duplicate"] is False
    assert second.status_code == 200 and second.json()["duplicate"] is True
    assert len(mail.outbox) == 1
    with tenant_scope(parcels[0].organisation):
        assert TrackingEvent.objects.count() == 1


def test_a_rotated_secret_still_signs(client, parcels) -> None:  # type: ignore[no-untyped-def]
    assert post_event(client, event_body(), secret="previous-secret").status_code == 200


def test_tracking_number_is_matched_whatever_its_spacing(client, parcels) -> None:  # type: ignore[no-untyped-def]
    response = post_event(client, event_body(tracking=UPS.lower()[:6] + " " + UPS[6:], carrier="ups"))
    assert response.status_code == 200 and response.json()["tracking_number"] == UPS


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"signature": "sha256=" + "0" * 64}, "bad_signature"),
        ({"signature": ""}, "bad_signature"),
        ({"secret": "wrong"}, "bad_signature"),
        ({"offset": -310}, "stale_timestamp"),
        ({"offset": 310}, "stale_timestamp"),
    ],
)
def test_bad_signatures_and_stale_timestamps_are_401_in_the_error_format(client, parcels, headers, code) -> None:  # type: ignore[no-untyped-def]
    if "offset" in headers:
        headers = {"timestamp": int(time.time()) + headers["offset"]}
    response = post_event(client, event_body(), **headers)
    assert response.status_code == 401
    assert response.json()["code"] == code and response.json()["message"]
    with tenant_scope(parcels[0].organisation):
        assert Shipment.objects.get(tracking_number=BPOST).status == "label_created"


def test_missing_or_garbled_timestamp_is_401(client, parcels) -> None:  # type: ignore[no-untyped-def]
    raw = json.dumps(event_body()).encode()
    for stamp in ("", "yesterday", "9" * 30):
        response = client.generic(
            "POST",
            "/api/v1/shipments/events",
            raw,
            "application/json",
            headers={webhook.TIMESTAMP_HEADER: stamp, webhook.SIGNATURE_HEADER: webhook.sign("x", stamp, raw)},
        )
        assert response.status_code == 401 and response.json()["code"] == "bad_timestamp"


def test_a_body_changed_after_signing_is_refused(client, parcels) -> None:  # type: ignore[no-untyped-def]
    stamp = int(time.time())
    signed = json.dumps(event_body()).encode()
    tampered = json.dumps(event_body(status="delivered")).encode()
    response = post_event(client, tampered, signature=webhook.sign("s3cret-for-tests", stamp, signed), timestamp=stamp)
    assert response.status_code == 401


def test_no_configured_secret_accepts_nothing(client, parcels, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHIPMENT_WEBHOOK_SECRETS = ""
    response = post_event(client, event_body())
    assert response.status_code == 401 and response.json()["code"] == "webhook_not_configured"


def test_unknown_parcel_and_unknown_carrier_are_404(client, parcels) -> None:  # type: ignore[no-untyped-def]
    missing = post_event(client, event_body(tracking="323299999999999999999999"))
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_shipment"
    no_carrier = post_event(client, event_body(carrier="pigeon"))
    assert no_carrier.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[]",
        json.dumps({"event_id": "x"}).encode(),
        json.dumps(event_body(occurred_at="2026-03-01T10:00:00")).encode(),  # no time zone
        json.dumps(event_body(occurred_at="last tuesday")).encode(),
        json.dumps(event_body(event_id="x" * 101)).encode(),
        json.dumps(event_body(status="teleported")).encode(),
        json.dumps(event_body(tracking_number=12)).encode(),
        '{"event_id": "\u00e9\ud800"}'.encode("utf-8", "surrogatepass"),
    ],
)
def test_malformed_bodies_are_422_never_500(client, parcels, body) -> None:  # type: ignore[no-untyped-def]
    response = post_event(client, body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] in ("validation_error", "unknown_status")


def test_the_same_event_id_for_another_parcel_is_409(client, parcels) -> None:  # type: ignore[no-untyped-def]
    assert post_event(client, event_body(event_id="dup")).status_code == 200
    response = post_event(client, event_body(event_id="dup", tracking=UPS, carrier="ups"))
    assert response.status_code == 409 and response.json()["code"] == "event_id_reused"


def test_get_is_not_allowed(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/shipments/events").status_code == 405


def test_signature_helpers() -> None:
    assert webhook.configured_secrets("ups:1, hub=dhl+fedex:2 ,broken, :x, c:") == [
        (webhook.Integration("ups", frozenset({"ups"})), b"1"),
        (webhook.Integration("hub", frozenset({"dhl", "fedex"})), b"2"),
    ]
    assert webhook.sign("k", 1, b"{}") == webhook.sign(b"k", "1", b"{}")


def test_an_oversized_body_is_refused_without_a_500(client, parcels, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_event(client, event_body(location="x" * 5000))
    assert 400 <= response.status_code < 500
