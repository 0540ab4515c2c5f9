"""Orders made quickly, signed webhook calls, URLs in a language."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import Organisation, User
from guichet.core.tenancy import tenant_scope
from guichet.orders import services, webhook
from guichet.orders.models import Order, OrderLine, Shipment

SECRET = "s3cret-for-tests"
WEBHOOK_URL = "/api/v1/shipments/events"
BPOST = "323299900000000000420001"
UPS = "1Z999AA10123456784"


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture(autouse=True)
def _webhook_secret(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHIPMENT_WEBHOOK_SECRETS = f"carrier-hub=bpost+ups:{SECRET},old=bpost+ups:previous-secret"


@pytest.fixture
def make_order() -> Callable[..., Order]:
    def make(organisation: Organisation, user: User | None = None, **overrides: Any) -> Order:
        data: dict[str, Any] = {
            "lines": [
                services.LineIn("7063-R04", "Serveur rack", 1, Decimal("6450.00")),
                services.LineIn("00YK384", "SSD 960 Go", 6, Decimal("412.00")),
            ],
            "purchase_order": "PO-1",
        }
        data.update(overrides)
        with tenant_scope(organisation):
            return services.order_create(actor=user, organisation=organisation, **data)

    return make


def lines_of(order: Order) -> list[OrderLine]:
    with tenant_scope(order.organisation):
        return list(OrderLine.objects.filter(order=order).order_by("position"))


@pytest.fixture
def two_parcels(make_order) -> Callable[..., tuple[Order, Shipment, Shipment]]:  # type: ignore[no-untyped-def]
    """An order split in two parcels: the server by UPS, the disks by bpost."""

    def make(
        organisation: Organisation, user: User | None = None, **overrides: Any
    ) -> tuple[Order, Shipment, Shipment]:
        order = make_order(organisation, user, **overrides)
        server, disks = lines_of(order)
        with tenant_scope(organisation):
            first = services.shipment_add(
                actor=None, order=order, carrier="bpost", tracking_number=BPOST, quantities={disks.pk: 6}
            )
            second = services.shipment_add(
                actor=None, order=order, carrier="ups", tracking_number=UPS, quantities={server.pk: 1}
            )
        return order, first, second

    return make


def event_body(tracking: str = BPOST, carrier: str = "bpost", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": "evt-1",
        "carrier": carrier,
        "tracking_number": tracking,
        "status": "in_transit",
        "occurred_at": timezone.now().isoformat(),
        "location": "Bruxelles X",
    }
    body.update(fields)
    return body


def post_event(
    client: Client,
    body: dict[str, Any] | bytes,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    stamp = int(time.time()) if timestamp is None else timestamp
    headers = {
        webhook.TIMESTAMP_HEADER: str(stamp),
        webhook.SIGNATURE_HEADER: signature if signature is not None else webhook.sign(secret, stamp, raw),
    }
    return client.generic("POST", WEBHOOK_URL, raw, "application/json", headers=headers)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
