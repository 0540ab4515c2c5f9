"""Agents' billing console: open disputes with their resolution, payments recorded by hand or from a bank file."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.access import staff_required
from guichet.accounts.http import PortalRequest
from guichet.core import listing
from guichet.core.errors import DomainError
from guichet.core.tenancy import tenant_scope

from .. import selectors, services
from ..errors import Code
from ..forms import AllocateForm, ImportForm, PaymentForm, ResolveForm

PAYMENT_LIST = listing.ListSpec(
    "billing_console_payments",
    (
        listing.Column("reference", _l("Reference"), value=lambda p: p.reference),
        listing.Column("customer", _l("Customer"), value=lambda p: p.organisation.customer_number),
        listing.Column("date", _l("Date"), value=lambda p: p.date),
        listing.Column("amount", _l("Amount"), value=lambda p: p.amount),
        listing.Column("currency", _l("Currency"), value=lambda p: p.currency),
        listing.Column("allocated", _l("Allocated"), value=lambda p: p.allocated),
        listing.Column("source", _l("Source"), value=lambda p: p.get_source_display()),
    ),
    default="-date",
    param="payments_sort",
)
DISPUTE_LIST = listing.ListSpec(
    "billing_console_disputes",
    (
        listing.Column("invoice", _l("Invoice"), value=lambda d: d.invoice.number),
        listing.Column("customer", _l("Customer"), value=lambda d: d.organisation.customer_number),
        listing.Column("organisation", _l("Organisation"), value=lambda d: d.organisation.name),
        listing.Column("opened", _l("Opened on"), value=lambda d: d.created_at.date()),
        listing.Column("amount", _l("Disputed amount"), value=lambda d: d.amount),
        listing.Column("open_amount", _l("Open amount"), value=lambda d: d.invoice.open_amount),
        listing.Column("currency", _l("Currency"), value=lambda d: d.invoice.currency),
    ),
    default="opened",
    param="disputes_sort",
)


@staff_required
def home(request: PortalRequest) -> HttpResponseBase:
    disputes = listing.worklist(request, DISPUTE_LIST, selectors.open_disputes_for(request.user))
    payments = listing.worklist(request, PAYMENT_LIST, selectors.recent_payments_for(request.user))
    if listing.export_of(request, DISPUTE_LIST) == "csv":
        return listing.rows_csv("disputes.csv", DISPUTE_LIST, disputes.rows)
    if listing.export_of(request, PAYMENT_LIST) == "csv":
        return listing.rows_csv("payments.csv", PAYMENT_LIST, payments.rows)
    return render(
        request,
        "billing/console/home.html",
        {
            "disputes": disputes.rows,
            "disputes_list": disputes.context,
            "payments": payments.rows,
            "payments_list": payments.context,
            "resolve_form": ResolveForm(),
        },
    )


@require_POST
@staff_required
def resolve(request: PortalRequest, pk: int) -> HttpResponse:
    dispute = selectors.get_dispute_for_staff(request.user, pk)
    form = ResolveForm(request.POST)
    back = HttpResponseRedirect(reverse("billing_console:home"), status=303)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return back
    try:
        with tenant_scope(dispute.organisation):
            if form.cleaned_data["decision"] == "credit":
                note = services.dispute_credit(
                    actor=request.user,
                    dispute=dispute,
                    amount=form.cleaned_data["amount"],
                    note=form.cleaned_data["note"],
                    http_request=request,
                )
                messages.success(request, _("Credit note %(number)s issued.") % {"number": note.number})
            else:
                services.dispute_reject(
                    actor=request.user, dispute=dispute, reason=form.cleaned_data["note"], http_request=request
                )
                messages.success(request, _("Dispute rejected; the customer has been told."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return back


@require_POST
@staff_required
def allocate(request: PortalRequest, reference: str) -> HttpResponse:
    """Set (part of) a recorded payment's unallocated amount against one of the customer's invoices."""
    payment = selectors.payment_for_staff(request.user, reference)
    form = AllocateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give an invoice number and an amount."))
    else:
        with tenant_scope(payment.organisation):
            try:
                try:
                    invoice = selectors.get_invoice_for(payment.organisation, form.cleaned_data["invoice_number"])
                except Http404:
                    raise DomainError(_("No such invoice for this customer."), code=Code.INVOICE) from None
                services.payment_allocate(
                    actor=request.user,
                    payment=payment,
                    invoice=invoice,
                    amount=form.cleaned_data["amount"],
                    http_request=request,
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _("Payment %(reference)s set against invoice %(number)s.")
                    % {"reference": payment.reference, "number": invoice.number},
                )
    return HttpResponseRedirect(reverse("billing_console:home"), status=303)


@require_http_methods(["GET", "POST"])
@staff_required
def payment_new(request: PortalRequest) -> HttpResponse:
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = selectors.organisation_for_staff(request.user, data["customer_number"])
        except Http404:
            form.add_error("customer_number", _("Unknown customer number."))
        else:
            with tenant_scope(organisation):
                try:
                    allocations = []
                    if data["invoice_number"]:
                        try:
                            invoice = selectors.get_invoice_for(organisation, data["invoice_number"])
                        except Http404:
                            raise DomainError(_("No such invoice for this customer."), code=Code.INVOICE) from None
                        part = data["allocate"] if data["allocate"] else min(data["amount"], invoice.open_amount)
                        if part > Decimal(0):
                            allocations.append((invoice, part))
                    payment = services.payment_record(
                        actor=request.user,
                        organisation=organisation,
                        day=data["date"],
                        amount=data["amount"],
                        currency=selectors.currency_for_country(organisation.country),
                        method=data["method"],
                        reference=data["reference"],
                        allocations=allocations,
                        http_request=request,
                    )
                except DomainError as error:
                    form.add_error(None, str(error.message))
                else:
                    messages.success(request, _("Payment %(reference)s recorded.") % {"reference": payment.reference})
                    return HttpResponseRedirect(reverse("billing_console:home"), status=303)
    return render(
        request, "billing/console/payment.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@require_http_methods(["GET", "POST"])
@staff_required
def payment_import(request: PortalRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                report = services.payments_import(
                    actor=request.user, data=form.cleaned_data["file"].read(), http_request=request
                )
            except services.ImportRejected as rejected:
                report = rejected.report
                status = 422
            else:
                messages.success(
                    request,
                    _("%(imported)s payments imported, %(skipped)s already imported.")
                    % {"imported": report.imported, "skipped": report.already_imported},
                )
                return HttpResponseRedirect(reverse("billing_console:home"), status=303)
    return render(
        request,
        "billing/console/import.html",
        {"form": form, "report": report, "columns": services.IMPORT_COLUMNS},
        status=status,
    )
