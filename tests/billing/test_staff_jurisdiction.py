"""The billing console follows the one staff jurisdiction rule (accounts/jurisdiction.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guichet.billing import selectors as billing_selectors
from guichet.billing import services as billing_services
from guichet.core.tenancy import tenant_scope

pytestmark = pytest.mark.django_db


def test_billing_console_lists_no_dispute_to_a_customer_of_the_same_country(  # type: ignore[no-untyped-def]
    org_a, customer_a, agent_be, make_invoice
) -> None:
    """Billing's own copy of the rule looked at the country alone, so a Belgian customer account
    reaching the query saw every Belgian dispute."""
    invoice = make_invoice(org_a)
    with tenant_scope(org_a):
        billing_services.dispute_open(actor=customer_a, invoice=invoice, amount=Decimal("5"), reason="Wrong")
    assert len(billing_selectors.open_disputes_for(agent_be)) == 1
    assert billing_selectors.open_disputes_for(customer_a) == []
