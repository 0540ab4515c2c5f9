"""Invoice list, statement and the API lists cost the same number of queries for 3 rows as for 30."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.accounts.models import ApiToken
from guichet.billing import services
from guichet.core.tenancy import tenant_scope
from tests.billing.conftest import url

pytestmark = pytest.mark.django_db


def add(count: int, organisation, agent, make_invoice, offset: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Invoices of every kind of state: paid, partly paid, credited, open."""
    for i in range(count):
        invoice = make_invoice(organisation, issue_date=date.today() - timedelta(days=5 * i + offset))
        with tenant_scope(organisation):
            if i % 3 == 0:
                services.payment_record(
                    actor=agent,
                    organisation=organisation,
                    day=date.today(),
                    amount=Decimal("100"),
                    currency="EUR",
                    method="bank_transfer",
                    reference=f"Q-{offset}-{i}",
                    allocations=[(invoice, Decimal("100"))],
                )
            if i % 3 == 1:
                from guichet.billing import rules
                from guichet.billing.models import Kind

                note = services.invoice_issue(
                    actor=None,
                    organisation=organisation,
                    kind=Kind.CREDIT_NOTE,
                    credited_invoice=invoice,
                    issue_date=date.today(),
                    lines=[rules.LineIn("Credit", Decimal(1), Decimal(10))],
                )
                services._allocate(invoice, note.total, credit_note=note)


def count(client, path: str, **headers: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


@pytest.mark.parametrize("page", ["billing:invoices", "billing:statement"])
def test_pages_constant_queries(client, org_a, customer_a, agent_be, make_invoice, page) -> None:  # type: ignore[no-untyped-def]
    add(3, org_a, agent_be, make_invoice)
    client.force_login(customer_a)
    path = url(page)
    count(client, path)
    with_3 = count(client, path)
    add(27, org_a, agent_be, make_invoice, offset=1)
    assert count(client, path) <= with_3


@pytest.mark.parametrize("path", ["/api/v1/invoices", "/api/v1/statement"])
def test_api_constant_queries(client, org_a, customer_a, agent_be, make_invoice, path) -> None:  # type: ignore[no-untyped-def]
    add(3, org_a, agent_be, make_invoice)
    headers = {"Authorization": f"Bearer {ApiToken.issue(customer_a)}"}
    count(client, path, **headers)
    with_3 = count(client, path, **headers)
    add(27, org_a, agent_be, make_invoice, offset=1)
    assert count(client, path, **headers) <= with_3
