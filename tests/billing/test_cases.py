"""Invoice disputes in the case index ("My requests")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from guichet.billing import services
from guichet.core.models import Case
from guichet.core.tenancy import across_organisations, tenant_scope

pytestmark = pytest.mark.django_db


def test_a_dispute_is_a_case_until_credited_or_rejected(org_a, customer_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=date.today())
    with tenant_scope(org_a):
        dispute = services.dispute_open(
            actor=customer_a, invoice=invoice, amount=D("121.00"), reason="Toner jamais livré"
        )
    with across_organisations():
        case = Case.objects.get(kind="dispute", source_id=dispute.pk)
    assert (case.number, case.title, case.status, case.url_name) == (
        invoice.number,
        "Toner jamais livré",
        "in_progress",
        "billing:invoice",
    )
    with tenant_scope(org_a):
        services.dispute_reject(actor=agent_be, dispute=dispute, reason="Le tarif est celui du contrat.")
    case.refresh_from_db()
    assert case.status == "refused"
