"""Reads on billing: always for one organisation; another's invoice is the same 404 as a missing one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation, User
from guichet.core.calendar import today_for
from guichet.core.money import ZERO, currency_for_country
from guichet.core.references import MAX_SUGGESTIONS
from guichet.core.tenancy import across_organisations

from . import rules
from .models import Allocation, BillingOptions, Dispute, Invoice, Kind, Payment

LIST_FIELDS = (
    "number",
    "kind",
    "issue_date",
    "due_date",
    "currency",
    "po_reference",
    "status",
    "net_total",
    "tax_total",
    "total",
    "settled",
    "organisation_id",
    "credited_invoice_id",
)


def invoices_of(organisation: Organisation, *, status: str = "", kind: str = "", query: str = "") -> QuerySet[Invoice]:
    """The organisation's invoices and credit notes, newest first: one query per page, one count."""
    items = Invoice.objects.filter(organisation=organisation).only(*LIST_FIELDS).order_by("-issue_date", "-id")
    if kind:
        items = items.filter(kind=kind)
    if status == rules.OVERDUE:
        items = items.filter(kind=Kind.INVOICE, settled__lt=F("total"), due_date__lt=today_for(organisation)).exclude(
            status__in=(rules.CANCELLED, rules.DISPUTED)
        )
    elif status == "unpaid":
        items = items.filter(kind=Kind.INVOICE, status__in=rules.UNPAID_STATUSES)
    elif status:
        items = items.filter(status=status)
    if query:
        items = items.filter(Q(number__icontains=query) | Q(po_reference__icontains=query))
    return items


def invoice_numbers_of(organisation: Organisation) -> Iterator[str]:
    """The organisation's invoice and credit-note numbers, newest first (reference-field suggestions)."""
    yield from (
        Invoice.objects.filter(organisation=organisation)
        .order_by("-issue_date", "-id")
        .values_list("number", flat=True)[:MAX_SUGGESTIONS]
    )


def get_invoice_for(organisation: Organisation, number: str) -> Invoice:
    invoice = (
        Invoice.objects.filter(organisation=organisation, number=number)
        .select_related("organisation", "credited_invoice")
        .prefetch_related("lines", "taxes")
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


@dataclass
class InvoiceHistory:
    allocations: list[Allocation]
    credit_notes: list[Invoice]
    disputes: list[Dispute]


def history_of(invoice: Invoice) -> InvoiceHistory:
    """What settled the invoice (payments, credit notes), or what a credit note settled; its disputes."""
    field = "credit_note" if invoice.is_credit_note else "invoice"
    allocations = list(
        Allocation.objects.filter(**{field: invoice}, organisation=invoice.organisation_id)
        .select_related("payment", "credit_note", "invoice")
        .order_by("created_at", "id")
    )
    notes = list(
        Invoice.objects.filter(credited_invoice=invoice, organisation=invoice.organisation_id).only(*LIST_FIELDS)
    )
    disputes = list(
        Dispute.objects.filter(invoice=invoice, organisation=invoice.organisation_id).select_related(
            "request", "credit_note"
        )
    )
    return InvoiceHistory(allocations, notes, disputes)


def open_dispute_of(invoice: Invoice) -> Dispute | None:
    return Dispute.objects.filter(invoice=invoice, organisation=invoice.organisation_id, state="open").first()


def options_for(organisation: Organisation) -> BillingOptions:
    return BillingOptions.objects.filter(organisation=organisation).first() or BillingOptions(organisation=organisation)


# --- statement -----------------------------------------------------------------------------------------


@dataclass
class StatementView:
    statement: rules.Statement
    aging: dict[str, Decimal]
    currency: str
    today: date
    unapplied: Decimal  # payments and credit notes not yet set against an invoice


def _sum(queryset: QuerySet[Any], field: str) -> Decimal:
    return queryset.aggregate(s=Sum(field))["s"] or ZERO


def statement_for(organisation: Organisation, start: date, end: date, today: date | None = None) -> StatementView:
    """Opening balance (everything before `start`, summed in the database), the period's operations, aging.

    A constant number of queries whatever the history: 4 sums + 2 lists + 2 aging/unapplied sums.
    """
    today = today or today_for(organisation)
    invoices = Invoice.objects.filter(organisation=organisation).exclude(status=rules.CANCELLED)
    payments = Payment.objects.filter(organisation=organisation)
    before = Q(issue_date__lt=start)
    opening = (
        _sum(invoices.filter(before, kind=Kind.INVOICE), "total")
        - _sum(invoices.filter(before, kind=Kind.CREDIT_NOTE), "total")
        - _sum(payments.filter(date__lt=start), "amount")
    )
    operations = [
        rules.Operation(day, kind, number, total)
        for day, kind, number, total in invoices.filter(issue_date__gte=start, issue_date__lte=end).values_list(
            "issue_date", "kind", "number", "total"
        )
    ]
    operations += [
        rules.Operation(day, rules.PAYMENT, reference, amount)
        for day, reference, amount in payments.filter(date__gte=start, date__lte=end).values_list(
            "date", "reference", "amount"
        )
    ]
    open_items = invoices.filter(kind=Kind.INVOICE, settled__lt=F("total")).values_list("due_date", "total", "settled")
    aging = rules.aging(((due, total - settled) for due, total, settled in open_items), today)
    unapplied = _sum(payments.filter(allocated__lt=F("amount")), "amount") - _sum(
        payments.filter(allocated__lt=F("amount")), "allocated"
    )
    unapplied += _sum(invoices.filter(kind=Kind.CREDIT_NOTE, settled__lt=F("total")), "total") - _sum(
        invoices.filter(kind=Kind.CREDIT_NOTE, settled__lt=F("total")), "settled"
    )
    return StatementView(
        statement=rules.statement(opening, operations, start, end),
        aging=aging,
        currency=currency_for_country(organisation.country),
        today=today,
        unapplied=unapplied,
    )


# --- console --------------------------------------------------------------------------------------------


def open_disputes_for(user: User) -> list[Dispute]:
    with across_organisations():
        return list(
            Dispute.objects.filter(jurisdiction.served_by(user), state=Dispute.State.OPEN)
            .select_related("organisation", "invoice", "request", "opened_by")
            .order_by("created_at")[:200]
        )


def get_dispute_for_staff(user: User, pk: int) -> Dispute:
    with across_organisations():
        dispute = (
            Dispute.objects.filter(jurisdiction.served_by(user), pk=pk)
            .select_related("organisation", "invoice", "request", "opened_by")
            .first()
        )
    if dispute is None:
        raise Http404
    return dispute


def organisation_for_staff(user: User, customer_number: str) -> Organisation:
    organisation = Organisation.objects.filter(customer_number=customer_number).first()
    if organisation is None or not jurisdiction.may_serve(user, organisation):
        raise Http404
    return organisation


def payment_for_staff(user: User, reference: str) -> Payment:
    with across_organisations():
        payment = (
            Payment.objects.filter(jurisdiction.served_by(user), reference=reference)
            .select_related("organisation")
            .first()
        )
    if payment is None:
        raise Http404
    return payment


def recent_payments_for(user: User) -> list[Payment]:
    with across_organisations():
        return list(
            Payment.objects.filter(jurisdiction.served_by(user))
            .select_related("organisation")
            .order_by("-created_at")[:20]
        )
