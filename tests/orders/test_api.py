"""Orders API: the organisation's orders only, lines and parcels with tracking links, filters."""

from __future__ import annotations

import pytest
from django.utils import timezone

from guichet.accounts.models import ApiToken
from guichet.core.tenancy import tenant_scope
from guichet.orders import services
from tests.orders.conftest import BPOST, UPS

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {ApiToken.issue(user)}"}


def test_list_and_detail(client, org_a, customer_a, two_parcels, make_order) -> None:  # type: ignore[no-untyped-def]
    order, disks, _server = two_parcels(org_a, customer_a)
    make_order(org_a, customer_a, purchase_order="PO-OTHER")
    with tenant_scope(org_a):
        services.shipment_record_event(
            actor=None, shipment=disks, event_id="a1", status="delivered", occurred_at=timezone.now()
        )
    listing = client.get("/api/v1/orders", headers=bearer(customer_a)).json()
    assert listing["count"] == 2
    row = next(item for item in listing["items"] if item["number"] == order.number)
    assert (row["line_count"], row["shipment_count"], row["status"]) == (2, 2, "partially_delivered")

    detail = client.get(f"/api/v1/orders/{order.number}", headers=bearer(customer_a)).json()
    assert detail["total"] == "8922.00"
    assert [line["delivered"] for line in detail["lines"]] == [0, 6]
    tracking = {s["tracking_number"]: s for s in detail["shipments"]}
    assert tracking[BPOST]["tracking_url"].endswith(BPOST) and tracking[BPOST]["status"] == "delivered"
    assert tracking[UPS]["tracking_url"] == f"https://www.ups.com/track?tracknum={UPS}"
    assert tracking[BPOST]["lines"] == [{"position": 2, "product_code": "00YK384", "quantity": 6}]
    assert next(event["kind"] for event in detail["timeline"]) == "placed"


def test_filters(client, org_a, customer_a, two_parcels, make_order) -> None:  # type: ignore[no-untyped-def]
    order, _disks, _server = two_parcels(org_a, customer_a, purchase_order="PO-FIND-ME")
    make_order(org_a, customer_a, purchase_order="PO-OTHER")
    headers = bearer(customer_a)

    def numbers(**query: str) -> list[str]:
        response = client.get("/api/v1/orders", query, headers=headers)
        assert response.status_code == 200, response.content
        return [item["number"] for item in response.json()["items"]]

    assert numbers(q="find-me") == [order.number]
    assert numbers(q=UPS) == [order.number]
    assert numbers(status="processing") == [order.number]
    assert len(numbers(status="open")) == 2
    assert numbers(date_from="2000-01-01", date_to="2000-12-31") == []
    assert client.get("/api/v1/orders", {"status": "lost"}, headers=headers).status_code == 400
    assert client.get("/api/v1/orders", {"date_from": "soon"}, headers=headers).status_code == 422
    assert client.get("/api/v1/orders", {"page_size": "1000"}, headers=headers).status_code == 422


def test_another_organisations_order_is_404_like_a_missing_one(
    client, org_a, customer_a, customer_b, make_order
) -> None:  # type: ignore[no-untyped-def]
    order = make_order(org_a, customer_a)
    foreign = client.get(f"/api/v1/orders/{order.number}", headers=bearer(customer_b))
    missing = client.get("/api/v1/orders/BE-ORD-1999-0001", headers=bearer(customer_b))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert client.get("/api/v1/orders", headers=bearer(customer_b)).json()["count"] == 0


def test_grant_and_sign_in_are_needed(client, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/orders").status_code == 401
    response = client.get("/api/v1/orders", headers=bearer(customer_no_grant))
    assert response.status_code == 403 and response.json()["code"] == "application_not_granted"
