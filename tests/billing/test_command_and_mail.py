"""`guichet import_payments`, the nightly overdue refresh, and the billing e-mails in each language."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guichet.billing import rules, services
from guichet.billing.models import Invoice, Payment
from guichet.core.models import OutboxMessage
from guichet.core.notifications.rendering import render
from guichet.core.tenancy import tenant_scope

pytestmark = pytest.mark.django_db


def test_import_command_reports_and_imports(org_a, make_invoice, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"date;amount;currency;reference;customer_number\n2026-04-01;12,5;EUR;R1;{org_a.customer_number}\n")
    out = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_payments", str(bad), stdout=out)
    assert "amount" in out.getvalue()
    good = tmp_path / "good.csv"
    good.write_text(
        "date,amount,currency,reference,customer_number,invoice_number,method\n"
        f"2026-04-01,1493.83,EUR,R1,{org_a.customer_number},{invoice.number},bank_transfer\n"
    )
    out = StringIO()
    call_command("import_payments", str(good), stdout=out)
    assert "1 payments imported" in out.getvalue()
    with tenant_scope(org_a):
        assert Invoice.objects.get(pk=invoice.pk).status == rules.PAID
        assert Payment.objects.get().source == "import"
    call_command("import_payments", str(good), stdout=StringIO())  # the same file again adds nothing
    with tenant_scope(org_a):
        assert Payment.objects.count() == 1


def test_overdue_refresh(org_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=date.today() - timedelta(days=31))
    assert invoice.status == rules.OPEN  # as issued
    assert invoice.current_status() == rules.OVERDUE  # as shown today
    assert services.invoices_refresh_statuses() == 1
    with tenant_scope(org_a):
        assert Invoice.objects.get(pk=invoice.pk).status == rules.OVERDUE


@pytest.mark.parametrize("language", ["en", "fr", "nl", "ro"])
@pytest.mark.parametrize(
    ("template", "context"),
    [
        (
            "billing_invoice_issued",
            {
                "number": "BE-INV-2026-0001",
                "kind": "invoice",
                "total": "10.00",
                "currency": "EUR",
                "due": "2026-04-11",
                "organisation": "Org",
            },
        ),
        (
            "billing_dispute_credited",
            {
                "number": "BE-INV-2026-0001",
                "credit_note": "BE-CN-2026-0001",
                "amount": "10.00",
                "currency": "EUR",
                "note": "Sorry",
                "credit_url": "http://x",
            },
        ),
        ("billing_dispute_rejected", {"number": "BE-INV-2026-0001", "reason": "Contract price"}),
    ],
)
def test_emails_render(language: str, template: str, context: dict[str, str]) -> None:
    message = OutboxMessage(
        to="a@example.com",
        template=template,
        language=language,
        context={"first_name": "Ana", "url": "http://x", **context},
        message_id="<t@x>",
    )
    email = render(message)
    assert "BE-INV-2026-0001" in email.subject and "BE-INV-2026-0001" in email.body
