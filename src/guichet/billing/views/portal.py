"""Customer pages of My invoices and My statements: list, detail, PDF, dispute, statement, options."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import application_required
from guichet.accounts.http import CustomerRequest
from guichet.core import listing
from guichet.core.calendar import today_for
from guichet.core.documents import reader_language
from guichet.core.downloads import download
from guichet.core.errors import DomainError
from guichet.core.pagination import page_of
from guichet.core.paging import capped_count

from .. import documents, rules, selectors, services
from ..forms import DisputeForm, InvoiceFilterForm, OptionsForm, PeriodForm
from ..models import Invoice, Status
from ..rows import invoice_rows

invoices_required = application_required("invoices")
statements_required = application_required("statements")


INVOICE_LIST = listing.ListSpec(
    "invoices",
    (
        listing.Column("number", _l("Number"), ("number",)),
        listing.Column("issued", _l("Issued"), ("issue_date",)),
        listing.Column("due", _l("Due"), ("due_date",)),
        listing.Column("total", _l("Total"), ("total",)),
        listing.Column("status", _l("Status"), ("status",)),
    ),
    default="-issued",
    filters=("status", "kind", "q"),
)
INVOICE_FILTERS = listing.FilterPanel(
    INVOICE_LIST, InvoiceFilterForm, "billing/invoice_filters.html", exports=("csv", "pdf")
)


def _invoice_header() -> list[str]:
    return [_("Number"), _("Type"), _("Issued"), _("Due"), _("Total"), _("Open"), _("Currency"), _("Status")]


def _invoice_rows(items: Iterable[Invoice], today: date) -> Iterator[list[object]]:
    for item in items:
        due = "" if item.is_credit_note else item.due_date.isoformat()
        status = Status(item.current_status(today)).label
        kind = _("Credit note") if item.is_credit_note else _("Invoice")
        yield [item.number, kind, item.issue_date.isoformat(), due, item.total, item.open_amount, item.currency, status]


@invoices_required
def invoice_list(request: CustomerRequest) -> HttpResponseBase:
    if remembered := listing.restore_filters(request, INVOICE_LIST):
        return remembered
    filters = INVOICE_FILTERS(request)
    status = kind = query = ""
    if filters.valid:
        status, kind, query = filters.data["status"], filters.data["kind"], filters.data["q"]
        listing.save_filters(request, INVOICE_LIST)
    sorting = filters.sorting
    items = sorting.apply(selectors.invoices_of(request.organisation, status=status, kind=kind, query=query))
    today = today_for(request.organisation)
    export = listing.export_of(request)
    name = f"invoices-{request.organisation.customer_number}"
    if export == "csv":
        return listing.csv_export(
            f"{name}.csv", _invoice_header(), _invoice_rows(items.iterator(chunk_size=500), today)
        )
    if export == "pdf":
        language = reader_language(request.GET.get("lang", ""), request.user, request.organisation.language)
        with translation.override(language):
            title = _("Invoices and credit notes of %(name)s") % {"name": request.organisation.name}
            rows = list(_invoice_rows(items[: listing.MAX_PDF_ROWS], today))
            return listing.pdf_export(title, _invoice_header(), rows, f"{name}.pdf", language=language)
    page = sorting.page(request, items)
    return render(
        request,
        "billing/invoices.html",
        {
            "page": page,
            "rows": invoice_rows(page, today),
            "more_than": capped_count(items),
            "filters_html": filters.html,
            "sort": filters.sort,
            "today": today,
        },
    )


@invoices_required
def invoice_detail(request: CustomerRequest, number: str) -> HttpResponse:
    invoice = selectors.get_invoice_for(request.organisation, number)
    context = documents.invoice_context(invoice, translation.get_language())
    return render(
        request,
        "billing/invoice.html",
        {
            **context,
            "history": selectors.history_of(invoice),
            "dispute": selectors.open_dispute_of(invoice),
            "status": invoice.current_status(),
            "may_dispute": rules.may_dispute(is_credit_note=invoice.is_credit_note, status=invoice.current_status()),
            "methods": rules.PAYMENT_METHODS.get(invoice.country, ()),
            "term_days": rules.PAYMENT_TERM_DAYS.get(invoice.country, 30),
        },
    )


@invoices_required
def invoice_pdf(request: CustomerRequest, number: str) -> HttpResponse:
    invoice = selectors.get_invoice_for(request.organisation, number)
    language = reader_language(request.GET.get("lang", ""), request.user, request.organisation.language)
    return download(
        documents.invoice_pdf(invoice, language),
        f"{invoice.number}.pdf",
        "application/pdf",
        inline=bool(request.GET.get("view")),
    )


@require_http_methods(["GET", "POST"])
@invoices_required
def dispute_new(request: CustomerRequest, number: str) -> HttpResponse:
    invoice = selectors.get_invoice_for(request.organisation, number)
    lines = [(line.position, f"{line.position}. {line.description}") for line in invoice.lines.all()]
    form = DisputeForm(
        request.POST or None, request.FILES or None, lines=lines, initial={"amount": invoice.open_amount}
    )
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.dispute_open(
                actor=request.user,
                invoice=invoice,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                positions=[int(p) for p in form.cleaned_data["positions"]],
                files=[(f.name or "file", f.read()) for f in form.cleaned_data["attachments"]],
                http_request=request,
            )
        except DomainError as error:
            form.add_error("attachments" if "file" in error.code else None, str(error.message))
        else:
            messages.success(
                request,
                _("Your dispute was sent as request %(request)s. The invoice is on hold until it is resolved.")
                % {"request": dispute.request.number if dispute.request else ""},
            )
            return HttpResponseRedirect(reverse("billing:invoice", kwargs={"number": invoice.number}), status=303)
    return render(
        request,
        "billing/dispute.html",
        {"invoice": invoice, "form": form, "open_amount": documents.invoice_context(invoice)["open_amount"]},
        status=400 if request.method == "POST" else 200,
    )


def _statement_view(request: CustomerRequest) -> tuple[PeriodForm, selectors.StatementView | None]:
    form = PeriodForm(request.GET)  # bound even when empty: no dates means the default period
    today = today_for(request.organisation)
    if not form.is_valid():
        return form, None
    start, end = form.period(today)
    return form, selectors.statement_for(request.organisation, start, end, today)


@statements_required
def statement(request: CustomerRequest) -> HttpResponse:
    form, view = _statement_view(request)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    context: dict[str, object] = {"form": form, "querystring": export_query.urlencode()}
    if view is not None:
        # The running balance is worked out over the whole period; only one page of it is formatted and shown.
        page = page_of(request, "statement", view.statement.lines)
        context.update(documents.statement_context(request.organisation, view, page, translation.get_language()))
    return render(request, "billing/statement.html", context, status=200 if view is not None else 400)


@statements_required
def statement_csv(request: CustomerRequest) -> HttpResponse:
    form, view = _statement_view(request)
    if view is None:
        return HttpResponse(
            " ".join(str(e) for errs in form.errors.values() for e in errs),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    name = f"statement-{request.organisation.customer_number}-{view.statement.start}-{view.statement.end}.csv"
    return download(documents.statement_csv(view), name, "text/csv; charset=utf-8")


@statements_required
def statement_pdf(request: CustomerRequest) -> HttpResponse:
    form, view = _statement_view(request)
    if view is None:
        return HttpResponse(
            " ".join(str(e) for errs in form.errors.values() for e in errs),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    language = reader_language(request.GET.get("lang", ""), request.user, request.organisation.language)
    name = f"statement-{request.organisation.customer_number}-{view.statement.start}-{view.statement.end}.pdf"
    return download(documents.statement_pdf(request.organisation, view, language), name, "application/pdf")


@require_http_methods(["GET", "POST"])
@invoices_required
def options(request: CustomerRequest) -> HttpResponse:
    current = selectors.options_for(request.organisation)
    is_admin = request.membership.is_admin
    form = OptionsForm(
        request.POST or None,
        initial={
            "email_delivery": current.email_delivery,
            "delivery_email": current.delivery_email,
            "po_required": current.po_required,
        },
    )
    if request.method == "POST":
        if not is_admin:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.options_update(
                    actor=request.user, organisation=request.organisation, http_request=request, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Billing options saved."))
                return HttpResponseRedirect(reverse("billing:options"), status=303)
    country = request.organisation.country
    return render(
        request,
        "billing/options.html",
        {
            "form": form,
            "is_admin": is_admin,
            "methods": rules.PAYMENT_METHODS.get(country, ()),
            "term_days": rules.PAYMENT_TERM_DAYS.get(country, 30),
            "seller": documents.seller_for(country),
        },
        status=400 if request.method == "POST" else 200,
    )
