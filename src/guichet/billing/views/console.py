"""Agents' billing console: open disputes with their resolution, payments recorded by hand or from a bank file."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.access import staff_required
from guichet.accounts.http import PortalRequest
from guichet.core.errors import DomainError
from guichet.core.tenancy import tenant_scope

from .. import selectors, services
from ..errors import Code
from ..forms import AllocateForm, ImportForm, PaymentForm, ResolveForm


@staff_required
def home(request: PortalRequest) -> HttpResponse:
    return render(
        request,
        "billing/console/home.html",
        {
            "disputes": selectors.open_disputes_for(request.user),
            "payments": selectors.recent_payments_for(request.user),
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
