"""Billing API: list, detail, PDF, dispute, statement; grants and foreign numbers."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client

from guichet.accounts.models import ApiToken
from guichet.billing import services
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import grant_all, make_member

pytestmark = pytest.mark.django_db


def api(client: Client, user, method: str, path: str, body: dict | None = None, **params: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)}"}
    if method == "get":
        return client.get(f"/api/v1/{path}", params, headers=headers)
    return client.post(f"/api/v1/{path}", json.dumps(body or {}), "application/json", headers=headers)


def test_list_detail_pdf(client, org_a, customer_a, customer_b, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a)
    listed = api(client, customer_a, "get", "invoices")
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1 and body["items"][0]["number"] == invoice.number
    assert body["items"][0]["total"] == "1493.83"
    detail = api(client, customer_a, "get", f"invoices/{invoice.number}").json()
    assert detail["structured_communication"].startswith("+++")
    assert [t["name"] for t in detail["taxes"]] == ["VAT"] and len(detail["lines"]) == 2
    pdf = api(client, customer_a, "get", f"invoices/{invoice.number}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    foreign = api(client, customer_b, "get", f"invoices/{invoice.number}")
    missing = api(client, customer_b, "get", "invoices/BE-INV-1999-0001")
    assert foreign.status_code == missing.status_code == 404 and foreign.json() == missing.json()
    assert api(client, customer_a, "get", "invoices", status="nonsense").status_code == 422


def test_dispute_through_the_api(client, org_a, customer_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=date.today())
    response = api(
        client,
        customer_a,
        "post",
        f"invoices/{invoice.number}/disputes",
        {"amount": "100.00", "reason": "Toner non livré", "lines": [2]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "open" and response.json()["request"].startswith("BE-")
    again = api(client, customer_a, "post", f"invoices/{invoice.number}/disputes", {"amount": "1", "reason": "x"})
    assert again.status_code == 409
    too_much = api(client, customer_a, "post", f"invoices/{invoice.number}/disputes", {"amount": "x", "reason": "x"})
    assert too_much.status_code == 422
    assert api(client, customer_a, "get", f"invoices/{invoice.number}").json()["status"] == "disputed"


def test_statement(client, org_a, customer_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=date.today() - timedelta(days=40))
    with tenant_scope(org_a):
        services.payment_record(
            actor=agent_be,
            organisation=org_a,
            day=date.today(),
            amount=Decimal("93.83"),
            currency="EUR",
            method="bank_transfer",
            reference="P9",
            allocations=[(invoice, Decimal("93.83"))],
        )
    body = api(client, customer_a, "get", "statement").json()
    assert body["opening"] == "0" or Decimal(body["opening"]) == 0
    assert [line["kind"] for line in body["lines"]] == ["invoice", "payment"]
    assert Decimal(body["closing"]) == Decimal("1400.00")
    assert Decimal(body["aging"]["days_1_30"]) == Decimal("1400.00")
    assert api(client, customer_a, "get", "statement", start="2026-05-01", end="2026-01-01").status_code == 422


def test_grants(client, org_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    member = make_member(org_a, email="inv-only@example.com")
    grant_all(member, org_a, ["invoices"])
    assert api(client, member, "get", "invoices").status_code == 200
    assert api(client, member, "get", "statement").status_code == 403
