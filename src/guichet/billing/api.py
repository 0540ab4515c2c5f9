"""Billing API: invoices, their PDF, disputes and the statement, through the same services and selectors.

Invoices need the `invoices` grant, the statement the `statements` grant; an
invoice is addressed by its number and another organisation's answers 404.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from guichet.accounts.api_access import AUTH, require_application
from guichet.accounts.models import Organisation, User
from guichet.core.api import ErrorOut, InvalidInput, Page, PageOut, PageSize, form_limit, paginate
from guichet.core.calendar import today_for
from guichet.core.documents import reader_language
from guichet.core.downloads import download
from guichet.core.tenancy import tenant_scope

from . import documents, rules, selectors, services
from .forms import DisputeForm, InvoiceFilterForm, PeriodForm
from .models import Invoice

router = Router(tags=["billing"], auth=AUTH)
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _form_errors(form: Any, prefix: list[str]) -> InvalidInput:
    errors = [
        {"type": e.code or "invalid", "loc": [*prefix, field], "msg": " ".join(e.messages)}
        for field, field_errors in form.errors.as_data().items()
        for e in field_errors
    ]
    return InvalidInput(_("Some fields are missing or invalid."), details={"errors": errors})


class InvoiceSummaryOut(Schema):
    number: str
    kind: str
    issue_date: date
    due_date: date
    currency: str
    po_reference: str
    status: str
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    settled: Decimal
    open_amount: Decimal


class InvoicePageOut(PageOut):
    items: list[InvoiceSummaryOut]


class InvoiceLineOut(Schema):
    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_code: str
    net: Decimal


class TaxOut(Schema):
    name: str
    rate: Decimal
    base: Decimal
    amount: Decimal


class SettlementOut(Schema):
    kind: str  # payment or credit_note
    reference: str
    amount: Decimal


class DisputeOut(Schema):
    state: str
    amount: Decimal
    reason: str
    request: str | None
    credit_note: str | None
    resolution_note: str


class InvoiceOut(InvoiceSummaryOut):
    credited_invoice: str | None
    structured_communication: str | None
    lines: list[InvoiceLineOut]
    taxes: list[TaxOut]
    settlements: list[SettlementOut]
    credit_notes: list[str]
    disputes: list[DisputeOut]
    pdf_url: str


def _summary(invoice: Invoice, today: date) -> dict[str, Any]:
    return {
        "number": invoice.number,
        "kind": invoice.kind,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "currency": invoice.currency,
        "po_reference": invoice.po_reference,
        "status": invoice.current_status(today),
        "net_total": invoice.net_total,
        "tax_total": invoice.tax_total,
        "total": invoice.total,
        "settled": invoice.settled,
        "open_amount": invoice.open_amount,
    }


def _dispute(d: Any) -> dict[str, Any]:
    return {
        "state": d.state,
        "amount": d.amount,
        "reason": d.reason,
        "request": d.request.number if d.request else None,
        "credit_note": d.credit_note.number if d.credit_note else None,
        "resolution_note": d.resolution_note,
    }


def _detail(invoice: Invoice, request: HttpRequest) -> dict[str, Any]:
    history = selectors.history_of(invoice)
    settlements = []
    for allocation in history.allocations:
        if invoice.is_credit_note:
            settlements.append({"kind": "invoice", "reference": allocation.invoice.number, "amount": allocation.amount})
        elif allocation.payment is not None:
            settlements.append(
                {"kind": "payment", "reference": allocation.payment.reference, "amount": allocation.amount}
            )
        else:
            assert allocation.credit_note is not None
            settlements.append(
                {"kind": "credit_note", "reference": allocation.credit_note.number, "amount": allocation.amount}
            )
    return {
        **_summary(invoice, today_for(invoice.organisation)),
        "credited_invoice": invoice.credited_invoice.number if invoice.credited_invoice else None,
        "structured_communication": rules.payment_reference(
            invoice.country, is_credit_note=invoice.is_credit_note, number=invoice.number
        ),
        "lines": [
            {
                "position": line.position,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "tax_code": line.tax_code,
                "net": line.net,
            }
            for line in invoice.lines.all()
        ],
        "taxes": [{"name": t.name, "rate": t.rate, "base": t.base, "amount": t.amount} for t in invoice.taxes.all()],
        "settlements": settlements,
        "credit_notes": [note.number for note in history.credit_notes],
        "disputes": [_dispute(d) for d in history.disputes],
        "pdf_url": request.build_absolute_uri(f"/api/v1/invoices/{invoice.number}/pdf"),
    }


@router.get("invoices", response={200: InvoicePageOut, **ERRORS})
def list_invoices(
    request: HttpRequest, status: str = "", kind: str = "", q: str = "", page: Page = 1, page_size: PageSize = 25
) -> dict[str, Any]:
    """Invoices and credit notes, newest first.

    `status`: a status, `unpaid`, or empty; `kind`: `invoice`, `credit_note` or empty.
    """
    organisation: Organisation = require_application(request, "invoices")
    filters = InvoiceFilterForm({"status": status, "kind": kind, "q": q})
    if not filters.is_valid():
        raise _form_errors(filters, ["query"])
    with tenant_scope(organisation):
        items, count = paginate(
            selectors.invoices_of(
                organisation,
                status=filters.cleaned_data["status"],
                kind=filters.cleaned_data["kind"],
                query=filters.cleaned_data["q"],
            ),
            page,
            page_size,
        )
        today = today_for(organisation)
        return {"items": [_summary(item, today) for item in items], "count": count}


@router.get("invoices/{number}", response={200: InvoiceOut, **ERRORS})
def get_invoice(request: HttpRequest, number: str) -> dict[str, Any]:
    organisation: Organisation = require_application(request, "invoices")
    with tenant_scope(organisation):
        return _detail(selectors.get_invoice_for(organisation, number), request)


@router.get("invoices/{number}/pdf", response={200: None, **ERRORS})
def invoice_pdf(request: HttpRequest, number: str, lang: str = "") -> HttpResponse:
    """The PDF in the caller's language, or in `lang` (e.g. the organisation's) (application/pdf)."""
    organisation: Organisation = require_application(request, "invoices")
    with tenant_scope(organisation):
        invoice = selectors.get_invoice_for(organisation, number)
        language = reader_language(lang, request.user, organisation.language)
        return download(documents.invoice_pdf(invoice, language), f"{invoice.number}.pdf", "application/pdf")


class DisputeIn(Schema):
    # The form's bounds: `1e30` is a 422, not a database overflow.
    amount: Decimal = pydantic.Field(ge=0, max_digits=14, decimal_places=2)
    reason: str = form_limit(DisputeForm, "reason")
    lines: list[int] = []


@router.post("invoices/{number}/disputes", response={201: DisputeOut, 409: ErrorOut, **ERRORS})
def dispute_invoice(request: HttpRequest, number: str, payload: DisputeIn) -> Status[dict[str, Any]]:
    """Dispute (part of) an invoice: a billing request is opened and the invoice shows as disputed."""
    organisation: Organisation = require_application(request, "invoices")
    user: User = request.user  # type: ignore[assignment]
    with tenant_scope(organisation):
        invoice = selectors.get_invoice_for(organisation, number)
        dispute = services.dispute_open(
            actor=user,
            invoice=invoice,
            amount=payload.amount,
            reason=payload.reason,
            positions=payload.lines,
            http_request=request,
        )
        return Status(201, _dispute(dispute))


class AgingOut(Schema):
    not_due: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal


class StatementLineOut(Schema):
    date: date
    kind: str
    reference: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


class StatementOut(Schema):
    start: date
    end: date
    currency: str
    opening: Decimal
    lines: list[StatementLineOut]
    closing: Decimal
    aging: AgingOut
    unapplied_credits: Decimal


@router.get("statement", response={200: StatementOut, **ERRORS})
def get_statement(request: HttpRequest, start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Every receivable operation between `start` and `end` (ISO dates; default: the last 365 days) with the
    running balance, the opening and closing balances, and the aging of open invoices today."""
    organisation: Organisation = require_application(request, "statements")
    form = PeriodForm({"start": start or "", "end": end or ""})
    if not form.is_valid():
        raise _form_errors(form, ["query"])
    today = today_for(organisation)
    first, last = form.period(today)
    with tenant_scope(organisation):
        view = selectors.statement_for(organisation, first, last, today)
    s = view.statement
    return {
        "start": s.start,
        "end": s.end,
        "currency": view.currency,
        "opening": s.opening,
        "closing": s.closing,
        "lines": [
            {
                "date": line.operation.day,
                "kind": line.operation.kind,
                "reference": line.operation.reference,
                "debit": line.debit,
                "credit": line.credit,
                "balance": line.balance,
            }
            for line in s.lines
        ],
        "aging": {
            "not_due": view.aging[rules.NOT_DUE],
            "days_1_30": view.aging[rules.DAYS_1_30],
            "days_31_60": view.aging[rules.DAYS_31_60],
            "days_61_90": view.aging[rules.DAYS_61_90],
            "over_90": view.aging[rules.OVER_90],
        },
        "unapplied_credits": view.unapplied,
    }
