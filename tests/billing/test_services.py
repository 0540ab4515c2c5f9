"""Invoices, payments, allocations, disputes through the services: totals, locks, constraints, e-mails."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from guichet.billing import rules, selectors, services
from guichet.billing.models import Allocation, Dispute, Invoice, Kind, Payment
from guichet.core.errors import DomainError, PermissionDenied
from guichet.core.models import OutboxMessage
from guichet.core.tenancy import tenant_scope
from guichet.support.models import Request

pytestmark = pytest.mark.django_db
D = Decimal


def test_invoice_totals_are_stored_and_numbered(org_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a)
    assert invoice.number == "BE-INV-2026-0001"
    # 1000.00 + 3 x 78.19 = 1234.57 net; VAT 21 % on the sum = 259.26
    assert (invoice.net_total, invoice.tax_total, invoice.total) == (D("1234.57"), D("259.26"), D("1493.83"))
    assert invoice.due_date == date(2026, 4, 11)
    with tenant_scope(org_a):
        assert invoice.lines.count() == 2
        assert [(t.name, t.rate, t.amount) for t in invoice.taxes.all()] == [("VAT", D("0.21000"), D("259.26"))]
    assert make_invoice(org_a).number == "BE-INV-2026-0002"


def test_explicit_number_moves_the_series_on(org_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    make_invoice(org_a, number="BE-INV-2026-0312")
    assert make_invoice(org_a).number == "BE-INV-2026-0313"


def test_database_refuses_a_total_that_is_not_the_sum(org_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a)
    with tenant_scope(org_a), pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(total=D("1.00"))


def test_po_required_option(org_a, customer_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(org_a):
        services.options_update(
            actor=customer_a,
            organisation=org_a,
            email_delivery=True,
            delivery_email="compta@example.com",
            po_required=True,
        )
    with pytest.raises(DomainError) as error:
        make_invoice(org_a)
    assert error.value.code == "po_required"
    invoice = make_invoice(org_a, po_reference="PO-77")
    message = OutboxMessage.objects.get(template="billing_invoice_issued")
    assert message.to == "compta@example.com" and message.context["number"] == invoice.number


def test_payment_allocation_partial_then_paid(org_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=date.today())
    with tenant_scope(org_a):
        payment = services.payment_record(
            actor=agent_be,
            organisation=org_a,
            day=date.today(),
            amount=D("1000"),
            currency="EUR",
            method="bank_transfer",
            reference="BANK-1",
            allocations=[(invoice, D("1000"))],
        )
        invoice.refresh_from_db()
        assert invoice.status == rules.PARTIALLY_PAID and invoice.settled == D("1000")
        with pytest.raises(DomainError):  # more than the payment has left
            services.payment_allocate(actor=agent_be, payment=payment, invoice=invoice, amount=D("1"))
        second = services.payment_record(
            actor=agent_be,
            organisation=org_a,
            day=date.today(),
            amount=D("600"),
            currency="EUR",
            method="bank_transfer",
            reference="BANK-2",
        )
        with pytest.raises(DomainError):  # more than the invoice's open amount
            services.payment_allocate(actor=agent_be, payment=second, invoice=invoice, amount=D("500"))
        services.payment_allocate(actor=agent_be, payment=second, invoice=invoice, amount=invoice.open_amount)
        invoice.refresh_from_db()
        second.refresh_from_db()
        assert invoice.status == rules.PAID and invoice.open_amount == 0
        assert second.unallocated == D("600") - D("493.83")


def test_agent_of_another_country_cannot_record(org_a, agent_ro) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(org_a), pytest.raises(PermissionDenied):
        services.payment_record(
            actor=agent_ro,
            organisation=org_a,
            day=date.today(),
            amount=D("1"),
            currency="EUR",
            method="bank_transfer",
            reference="X",
        )


def test_database_refuses_over_allocation(org_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(org_a):
        payment = services.payment_record(
            actor=agent_be,
            organisation=org_a,
            day=date.today(),
            amount=D("10"),
            currency="EUR",
            method="bank_transfer",
            reference="B",
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Payment.objects.filter(pk=payment.pk).update(allocated=D("11"))


def test_dispute_credit_and_reject(org_a, customer_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=date.today())
    with tenant_scope(org_a):
        dispute = services.dispute_open(
            actor=customer_a, invoice=invoice, amount=D("121.00"), reason="Toner jamais livré", positions=[2]
        )
        invoice.refresh_from_db()
        assert invoice.status == rules.DISPUTED
        request = Request.objects.get(pk=dispute.request_id)
        assert request.type == "invoices" and request.details == {"invoice_number": invoice.number}
        with pytest.raises(DomainError):
            services.dispute_open(actor=customer_a, invoice=invoice, amount=D("1"), reason="again")
        note = services.dispute_credit(actor=agent_be, dispute=dispute, note="Désolés.")
        assert note.kind == Kind.CREDIT_NOTE and note.number == f"BE-CN-{date.today().year}-0001"
        assert note.credited_invoice == invoice
        assert (note.net_total, note.tax_total, note.total) == (D("100.00"), D("21.00"), D("121.00"))
        invoice.refresh_from_db()
        assert invoice.status == rules.PARTIALLY_PAID and invoice.settled == D("121.00")
        assert Allocation.objects.get(credit_note=note).amount == D("121.00")
        dispute.refresh_from_db()
        assert dispute.state == Dispute.State.CREDITED
        request.refresh_from_db()
        assert request.status == "resolved"
        told = OutboxMessage.objects.filter(template="billing_dispute_credited").get()
        assert told.to == customer_a.email and told.language == "fr" and told.context["credit_note"] == note.number

        second = services.dispute_open(actor=customer_a, invoice=invoice, amount=D("10"), reason="Encore")
        services.dispute_reject(actor=agent_be, dispute=second, reason="Le tarif est celui du contrat.")
        invoice.refresh_from_db()
        assert invoice.status == rules.PARTIALLY_PAID
        assert OutboxMessage.objects.filter(template="billing_dispute_rejected").exists()


def test_dispute_amount_at_most_open(org_a, customer_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a)
    with tenant_scope(org_a), pytest.raises(DomainError) as error:
        services.dispute_open(actor=customer_a, invoice=invoice, amount=D("9999"), reason="x")
    assert error.value.code == "invalid_amount"


def test_statement_and_aging(org_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    early = make_invoice(org_a, issue_date=date(2026, 1, 5))
    late = make_invoice(org_a, issue_date=date(2026, 3, 12))
    with tenant_scope(org_a):
        services.payment_record(
            actor=agent_be,
            organisation=org_a,
            day=date(2026, 3, 20),
            amount=D("500"),
            currency="EUR",
            method="bank_transfer",
            reference="P1",
            allocations=[(early, D("500"))],
        )
        view = selectors.statement_for(org_a, date(2026, 2, 1), date(2026, 12, 31), today=date(2026, 5, 1))
    assert view.statement.opening == early.total
    assert [line.operation.reference for line in view.statement.lines] == [late.number, "P1"]
    assert view.statement.closing == early.total + late.total - D("500")
    # early: due 2026-02-04, 86 days late on 1 May; late: due 2026-04-11, 20 days late
    assert view.aging[rules.DAYS_61_90] == early.total - D("500")
    assert view.aging[rules.DAYS_1_30] == late.total
    assert view.aging[rules.NOT_DUE] == view.aging[rules.OVER_90] == 0
