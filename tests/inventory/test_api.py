"""Inventory API: coverage, site changes, repairs (billing acceptance enforced), transfers, relocations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from guichet.core.tenancy import tenant_scope
from guichet.inventory.models import RepairRequest, SiteChange
from tests.accounts.test_api import token_for
from tests.inventory.conftest import cover, make_machine, today

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client: Any, user: Any) -> None:
        response = token_for(client, user.email)
        assert response.status_code == 200, response.content
        self.client = client
        self.headers = {"Authorization": f"Bearer {response.json()['token']}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def send(self, method: str, path: str, data: Any) -> Any:
        return self.client.generic(
            method, f"/api/v1{path}", __import__("json").dumps(data), "application/json", headers=self.headers
        )


@pytest.fixture
def machines(org_a):  # type: ignore[no-untyped-def]
    contract = make_machine(org_a, "78AB001")
    cover(contract, service_level="onsite_same_day")
    warranty = make_machine(org_a, "78AB002", warranty_end=today() + timedelta(days=30))
    uncovered = make_machine(org_a, "78AB003")
    return contract, warranty, uncovered


@pytest.fixture
def api_a(client, customer_a) -> Api:  # type: ignore[no-untyped-def]
    return Api(client, customer_a)


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    return body  # type: ignore[no-any-return]


def test_list_machines_with_coverage(api_a, machines) -> None:  # type: ignore[no-untyped-def]
    body = api_a.get("/machines").json()
    assert body["count"] == 3
    assert [m["coverage"]["state"] for m in body["items"]] == ["contract", "warranty", "none"]
    assert api_a.get("/machines", coverage="none").json()["items"][0]["serial"] == "78AB003"
    error(api_a.get("/machines", coverage="bogus"), 422, "validation_error")
    error(api_a.get("/machines", page=0), 422, "validation_error")


def test_get_machine_coverage(api_a, machines) -> None:  # type: ignore[no-untyped-def]
    body = api_a.get("/machines/78AB001").json()
    assert body["coverage"] == {
        "state": "contract", "until": None, "contract_number": "BE-HW-2024-0001", "service_level": "onsite_same_day",
    }  # fmt: skip
    assert api_a.get("/machines/78AB002", type="8286").json()["coverage"]["state"] == "warranty"
    error(api_a.get("/machines/NOSUCH1"), 404, "not_found")


def test_ambiguous_serial_needs_the_type(api_a, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    make_machine(org_a, "78AB001", machine_type="9009")
    body = error(api_a.get("/machines/78AB001"), 409, "ambiguous_serial")
    assert body["details"]["types"] == ["8286", "9009"]
    assert api_a.get("/machines/78AB001", type="9009").json()["machine_type"] == "9009"


def test_another_organisations_machine_is_404(client, customer_b, machines) -> None:  # type: ignore[no-untyped-def]
    api_b = Api(client, customer_b)
    error(api_b.get("/machines/78AB001"), 404, "not_found")
    error(api_b.send("POST", "/machines/78AB001/repairs", {"kind": "hardware", "description": "x"}), 404, "not_found")
    assert api_b.get("/machines").json()["count"] == 0


def test_no_grant_is_403(client, customer_no_grant, machines) -> None:  # type: ignore[no-untyped-def]
    error(Api(client, customer_no_grant).get("/machines"), 403, "application_not_granted")


def test_patch_site_and_contact(api_a, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    body = api_a.send("PATCH", "/machines/78AB001", {"site_city": "Liège", "contact_name": "Zoé"}).json()
    assert body["site"]["city"] == "Liège" and body["contact"]["name"] == "Zoé"
    assert body["site"]["street"] == "Rue Haute 1"  # untouched
    with tenant_scope(org_a):
        assert SiteChange.objects.get().changes == {
            "site_city": ["Bruxelles", "Liège"],
            "contact_name": ["Jo Site", "Zoé"],
        }
    error(api_a.send("PATCH", "/machines/78AB001", {"contact_email": "nope"}), 422, "validation_error")


def test_repair_on_covered_machine(api_a, machines) -> None:  # type: ignore[no-untyped-def]
    response = api_a.send("POST", "/machines/78AB001/repairs", {"kind": "hardware", "description": "Disk"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("SR-BE-") and body["handling"] == "onsite" and body["slot_start"]
    assert body["shipping_label_url"] is None


def test_billed_acceptance_cannot_be_skipped_in_the_api(api_a, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    error(
        api_a.send("POST", "/machines/78AB003/repairs", {"kind": "hardware", "description": "Dead"}),
        400,
        "billing_not_accepted",
    )
    error(
        api_a.send(
            "POST", "/machines/78AB003/repairs", {"kind": "hardware", "description": "Dead", "accept_billing": False}
        ),
        400,
        "billing_not_accepted",
    )
    with tenant_scope(org_a):
        assert not RepairRequest.objects.exists()
    response = api_a.send(
        "POST", "/machines/78AB003/repairs", {"kind": "hardware", "description": "Dead", "accept_billing": True}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["coverage"] == "none" and body["billing_accepted_at"] and body["billing_wording_version"]
    assert body["shipping_label_url"].endswith("/label.pdf")


def test_repair_validation(api_a, machines) -> None:  # type: ignore[no-untyped-def]
    error(
        api_a.send("POST", "/machines/78AB001/repairs", {"kind": "other", "description": "x"}), 422, "validation_error"
    )
    error(api_a.send("POST", "/machines/78AB001/repairs", {"kind": "hardware"}), 422, "validation_error")


def test_transfer(api_a, machines) -> None:  # type: ignore[no-untyped-def]
    response = api_a.send(
        "POST",
        "/machines/78AB001/transfers",
        {"kind": "lease_return", "leaves_on": today().isoformat(), "reason": "Lease end", "financing_quote": "FQ-1"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["contract_number"] == "BE-HW-2024-0001" and body["last_charged_day"] > body["reported_on"]
    error(
        api_a.send(
            "POST", "/machines/78AB002/transfers", {"kind": "sale", "leaves_on": today().isoformat(), "reason": "x"}
        ),
        422,
        "validation_error",
    )
    error(
        api_a.send(
            "POST",
            "/machines/78AB001/transfers",
            {"kind": "sale", "leaves_on": today().isoformat(), "reason": "x", "buyer": "B"},
        ),
        409,
        "transfer_pending",
    )


def test_relocation(api_a, machines) -> None:  # type: ignore[no-untyped-def]
    payload = {
        "from_country": "BE", "from_address": "Rue Haute 1", "to_country": "RO", "to_address": "Strada 1",
        "desired_date": (today() + timedelta(days=60)).isoformat(),
    }  # fmt: skip
    response = api_a.send("POST", "/machines/78AB001/relocations", payload)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
    error(api_a.send("POST", "/machines/78AB001/relocations", {**payload, "to_country": "BE"}), 422, "validation_error")
    too_soon = {**payload, "desired_date": today().isoformat()}
    error(api_a.send("POST", "/machines/78AB001/relocations", too_soon), 400, "too_soon")
