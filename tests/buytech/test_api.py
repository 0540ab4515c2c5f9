"""Buy Tech API: the same rules as the pages, numbers in URLs, errors with codes and reasons."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from guichet.accounts.models import ApiToken, Organisation, User
from guichet.buytech import rules, services
from tests.accounts.factories import OrganisationFactory, grant_all, make_member

from .conftest import Clock, deliver_all

pytestmark = pytest.mark.django_db
API = "/api/v1/buytech"


class Api:
    def __init__(self, user: User) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {ApiToken.issue(user)}"}

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(f"{API}{path}", query, headers=self.headers)

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(f"{API}{path}", json.dumps(data), "application/json", headers=self.headers)


def test_an_ineligible_organisation_cannot_reach_ordering(
    nonprofit: Organisation, buyer: User, catalogue: dict
) -> None:
    api = Api(buyer)
    status = api.get("/eligibility").json()
    assert status["eligible"] is False
    assert [m["code"] for m in status["missing"]] == [rules.PARTNER_PENDING, rules.NO_ATTESTATION]
    for response in (api.get("/products"), api.post("/orders", {"items": [{"sku": "BT-PH-A54-N", "quantity": 1}]})):
        assert response.status_code == 403
        body = response.json()
        assert body["code"] == "not_eligible"
        assert {m["code"] for m in body["details"]["missing"]} == {rules.PARTNER_PENDING, rules.NO_ATTESTATION}


def test_a_company_in_another_country_finds_no_buy_tech(db: object, catalogue: dict) -> None:
    """Buy Tech is Belgian only (issue 14): elsewhere its endpoints do not exist, even with a grant row."""
    company = OrganisationFactory(country="RO", is_nonprofit=False)
    user = make_member(company, role="admin")
    grant_all(user, company, ["buytech"])
    response = Api(user).get("/products")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_belgian_company_is_told_why(db: object, catalogue: dict) -> None:
    company = OrganisationFactory(country="BE", is_nonprofit=False)
    user = make_member(company, role="admin")
    grant_all(user, company, ["buytech"])
    body = Api(user).get("/products").json()
    assert {m["code"] for m in body["details"]["missing"]} >= {rules.NOT_NONPROFIT, rules.NO_PARTNER_ID}


def test_attestation_through_the_api(nonprofit: Organisation, buyer: User) -> None:
    services.eligibility_set(actor=None, organisation=nonprofit, status="eligible", source="partner_import")
    api = Api(buyer)
    assert api.post("/attestation", {}).status_code == 400
    response = api.post("/attestation", {"confirm": True})
    assert response.status_code == 201 and response.json()["wording_version"] == rules.ATTESTATION_VERSION
    assert api.get("/eligibility").json() == {
        "eligible": True,
        "missing": [],
        "attestation_version": rules.ATTESTATION_VERSION,
    }


def test_no_grant_is_a_403(nonprofit: Organisation) -> None:
    member = make_member(nonprofit)
    response = Api(member).get("/products")
    assert response.status_code == 403 and response.json()["code"] == "application_not_granted"


def test_catalogue_with_filters(eligible: Organisation, buyer: User, catalogue: dict) -> None:
    api = Api(buyer)
    everything = api.get("/products", page_size=100).json()
    assert everything["count"] == 12
    laptops = api.get("/products", kind="laptop", condition="certified_used").json()
    assert {p["sku"] for p in laptops["items"]} == {"BT-LT-L14-U", "BT-LT-T480-U", "BT-LT-EB-U"}
    first = laptops["items"][0]
    assert first["admin_fee"] and first["warranty_terms"] and first["image_url"].endswith("laptop.svg")
    assert api.get("/products", page=0).status_code == 422


def test_the_whole_journey_through_the_api(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    api = Api(buyer)
    response = api.post(
        "/orders",
        {"items": [{"sku": "BT-LT-T14-N", "quantity": 2}, {"sku": "BT-PH-A54-N", "quantity": 1}]},
    )
    assert response.status_code == 201, response.content
    order = response.json()
    number = order["number"]
    assert order["status"] == "reserved" and order["total"] == "1209.00" and order["admin_fees"] == "62.00"
    assert (order["price"], order["fee_paid_at"], order["forwarded_on"]) == ("1147.00", None, None)
    assert order["fee_reference"] != order["payment_reference"]
    assert order["confirmation_due"] is None and order["processing_due"] == "2026-04-27"
    assert [line["position"] for line in order["lines"]] == [1, 2, 3]

    from guichet.buytech.models import BuyTechOrder
    from guichet.core.tenancy import tenant_scope

    with tenant_scope(eligible):
        deliver_all(BuyTechOrder.objects.get(number=number), agent, clock)
    delivered = api.get(f"/orders/{number}").json()
    assert delivered["status"] == "delivered" and delivered["agreements_signed"] is True
    assert delivered["lines"][0]["cancel_until"] == "2026-03-16"
    assert delivered["shipments"][0]["tracking_url"].startswith("https://")

    clock.today += timedelta(days=14)
    cancelled = api.post(f"/orders/{number}/cancel", {"positions": [3]})
    assert cancelled.status_code == 200
    assert cancelled.json()["lines"][2]["status"] == "cancelled"
    assert cancelled.json()["refunds"][0]["amount"] == "261.00"

    clock.today += timedelta(days=1)
    late = api.post(f"/orders/{number}/cancel", {"positions": [2]})
    assert late.status_code == 409 and late.json()["code"] == "cancellation_window_closed"

    claim = api.post(
        f"/orders/{number}/warranty-claims", {"position": 1, "description": "Écran noir", "remedy": "replacement"}
    )
    assert claim.status_code == 201 and claim.json()["replacement_sku"] == "BT-LT-T14-N"
    assert (
        api.post(f"/orders/{number}/warranty-claims", {"position": 2, "description": "x", "remedy": "gift"}).status_code
        == 400
    )

    ret = api.post(f"/orders/{number}/returns", {"positions": [2], "reason": "Plus nécessaire"})
    assert ret.status_code == 201 and ret.json()["status"] == "requested"
    clock.today += timedelta(days=60)
    late_return = api.post(f"/orders/{number}/returns", {"positions": [2], "reason": "Encore"})
    assert late_return.status_code == 409


def test_another_organisations_order_is_a_404(
    eligible: Organisation, buyer: User, catalogue: dict, clock: Clock
) -> None:
    number = Api(buyer).post("/orders", {"items": [{"sku": "BT-PH-A54-N", "quantity": 1}]}).json()["number"]
    other = OrganisationFactory(country="BE", is_nonprofit=True)
    stranger = make_member(other, role="admin")
    grant_all(stranger, other, ["buytech"])
    api = Api(stranger)
    for response in (
        api.get(f"/orders/{number}"),
        api.post(f"/orders/{number}/cancel", {}),
        api.post(f"/orders/{number}/returns", {"positions": [1], "reason": "x"}),
        api.post(f"/orders/{number}/warranty-claims", {"position": 1, "description": "x"}),
    ):
        assert response.status_code == 404
        assert response.json() == Api(stranger).get("/orders/BT-1999-000001").json()


def test_bad_orders_are_4xx(eligible: Organisation, buyer: User, catalogue: dict, clock: Clock) -> None:
    api = Api(buyer)
    assert api.post("/orders", {"items": []}).json()["code"] == "empty_cart"
    assert api.post("/orders", {"items": [{"sku": "BT-PH-A54-N", "quantity": 0}]}).status_code == 400
    assert api.post("/orders", {"items": [{"sku": "NOPE", "quantity": 1}]}).json()["code"] == "unknown_product"
    assert api.post("/orders", {"items": [{"sku": "BT-PH-A54-N", "quantity": 51}]}).status_code == 409
    assert api.post("/orders", {"items": "x"}).status_code in (400, 422)
    listed = api.get("/orders").json()
    assert listed["count"] == 0 and listed["items"] == []
    number = api.post("/orders", {"items": [{"sku": "BT-PH-A54-N", "quantity": 2}]}).json()["number"]
    listed = api.get("/orders", page_size=10).json()
    assert listed == {
        "items": [
            {"number": number, "status": "reserved", "reserved_on": "2026-03-02", "total": "522.00", "currency": "EUR"}
        ],
        "count": 1,
    }
    assert api.get("/orders", page_size=0).status_code == 422
