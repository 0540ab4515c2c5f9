"""Customer pages of Contracts online: list, detail, copies, machine lists, terminations, ServicePac."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from guichet.accounts.access import application_required
from guichet.accounts.http import CustomerRequest
from guichet.core import listing
from guichet.core.calendar import today_for
from guichet.core.documents import reader_language
from guichet.core.downloads import download, stored_download
from guichet.core.errors import DomainError
from guichet.core.paging import capped_count
from guichet.core.templatetags.locale_ui import day
from guichet.inventory.selectors import machine_suggestions

from .. import documents, rules, selectors, services
from ..errors import Code
from ..forms import (
    ContactFields,
    ContractFilterForm,
    DestructionForm,
    EndOfTermForm,
    HardwareTerminationForm,
    LicenceTerminationForm,
    MachineLookupForm,
    ServicePacForm,
)
from ..models import Contract, ContractStatus, CoveredMachine, Termination
from ..rows import COLUMNS as CONTRACT_COLUMNS
from ..rows import contract_rows

contracts_required = application_required("contracts")


CONTRACT_LIST = listing.ListSpec(
    "contracts",
    (
        listing.Column("number", _l("Number"), ("number",)),
        listing.Column("title", _l("Title"), ("title",)),
        listing.Column("kind", _l("Type"), ("kind",)),
        listing.Column("status", _l("Status"), ("status",)),
        listing.Column("start", _l("Start"), ("start_date",)),
        listing.Column("end", _l("End"), ("end_date",)),
        listing.Column("amount", _l("Amount"), ("amount",)),
    ),
    default="-start",
    filters=("kind", "status", "q"),
)
CONTRACT_FILTERS = listing.FilterPanel(CONTRACT_LIST, ContractFilterForm, "contracts/list_filters.html")
# An open-ended contract has no end: blank ends sort last either way, on the page and in the export.
NULLABLE = ("end_date",)


def _contract_rows(contracts: Iterable[Contract]) -> Iterator[list[object]]:
    for c in contracts:
        end = c.end_date.isoformat() if c.end_date else ""
        yield [
            c.number,
            _(c.title),
            c.get_kind_display(),
            c.get_status_display(),
            c.start_date.isoformat(),
            end,
            c.amount,
            c.currency,
        ]


@contracts_required
def contract_list(request: CustomerRequest) -> HttpResponseBase:
    if remembered := listing.restore_filters(request, CONTRACT_LIST):
        return remembered
    filters = CONTRACT_FILTERS(request)
    kind = status = query = ""
    if filters.valid:
        kind, status, query = (filters.data[k] for k in ("kind", "status", "q"))
        listing.save_filters(request, CONTRACT_LIST)
    sorting = filters.sorting
    contracts = sorting.apply(
        selectors.contracts_of(request.organisation, kind=kind, status=status, query=query), nullable=NULLABLE
    )
    if listing.export_of(request) == "csv":
        header = [_("Number"), _("Title"), _("Type"), _("Status"), _("Start"), _("End"), _("Amount"), _("Currency")]
        name = f"contracts-{request.organisation.customer_number}.csv"
        return listing.csv_export(name, header, _contract_rows(contracts.iterator(chunk_size=500)))
    page = sorting.page(request, contracts.values_list(*CONTRACT_COLUMNS, named=True), nullable=NULLABLE)
    context = {
        "page": page,
        "rows": contract_rows(page),
        "more_than": capped_count(contracts),
        "filters_html": filters.html,
        "sort": filters.sort,
    }
    return render(request, "contracts/list.html", context)


def request_links(contract: Contract) -> list[tuple[str, str]]:
    """Pre-filled request forms for what a customer asks about a contract."""
    base = reverse("support:request_new")

    def link(subject: str) -> str:
        return base + "?" + urlencode({"type": "contracts", "subject": subject, "contract_number": contract.number})

    number = contract.number
    links = [
        (_("Renew this contract"), link(_("Renewal of contract %(number)s") % {"number": number})),
        (_("Add a service"), link(_("Add a service to contract %(number)s") % {"number": number})),
        (_("Cancel a service"), link(_("Cancel a service on contract %(number)s") % {"number": number})),
        (_("Ask a question about this contract"), link(_("Question about contract %(number)s") % {"number": number})),
    ]
    if rules.offers_maintenance_quote(contract.kind):
        links.append(
            (_("Ask for a maintenance quote"), link(_("Maintenance quote, contract %(number)s") % {"number": number}))
        )
    return links


def _optional_url(name: str, number: str) -> str:
    try:
        return reverse(name, kwargs={"number": number})
    except NoReverseMatch:
        return ""


@contracts_required
def contract_detail(request: CustomerRequest, number: str) -> HttpResponse:
    contract = selectors.get_contract_for(request.organisation, number)
    signatures = list(selectors.signatures_of(contract))
    # The signing pages are another module's; until they are installed the page simply lacks the links.
    sign_url = _optional_url("contracts:sign", contract.number)
    signed_document_url = _optional_url("contracts:signed_document", contract.number)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "services": contract.services.all().order_by("pk"),
            "coverages": selectors.coverages_of(contract),
            "signatures": signatures,
            "latest_signature": signatures[-1] if signatures else None,
            "terminations": selectors.terminations_of(contract).prefetch_related("coverages__machine"),
            "request_links": request_links(contract),
            "sign_url": sign_url,
            "signed_document_url": signed_document_url,
            "can_sign": contract.status == ContractStatus.AWAITING_SIGNATURE,
            "terminable": contract.status == ContractStatus.ACTIVE,
        },
    )


@contracts_required
def contract_copy(request: CustomerRequest, number: str) -> HttpResponse:
    contract = selectors.get_contract_for(request.organisation, number)
    language = reader_language(request.GET.get("lang", ""), request.user, request.organisation.language)
    return download(documents.contract_pdf(contract, language), f"{contract.number}.pdf", "application/pdf")


@contracts_required
def machines_csv(request: CustomerRequest, number: str) -> HttpResponse:
    contract = selectors.get_contract_for(request.organisation, number)
    data = documents.machines_csv(selectors.coverages_of(contract), request.organisation.language)
    return download(data, f"{contract.number}-machines.csv", "text/csv; charset=utf-8")


@contracts_required
def machines_pdf(request: CustomerRequest, number: str) -> HttpResponse:
    contract = selectors.get_contract_for(request.organisation, number)
    organisation = request.organisation
    title = _("Machines covered by contract %(number)s") % {"number": contract.number}
    data = documents.machines_pdf(
        title, selectors.coverages_of(contract), language=organisation.language, country=organisation.country
    )
    return download(data, f"{contract.number}-machines.pdf", "application/pdf")


def _suggesting[F: ServicePacForm](request: CustomerRequest, form: F) -> F:
    """The machine fields suggest the organisation's own types and serials (typed text still validated)."""
    types, serials = machine_suggestions(request.organisation)
    form.fields["machine_type"].widget.attrs["list"] = "org-machine-types"
    form.fields["serial"].widget.attrs["list"] = "org-serials"
    form.suggestions = [("org-machine-types", types), ("org-serials", serials)]  # type: ignore[attr-defined]
    return form


@contracts_required
def machine_lookup(request: CustomerRequest) -> HttpResponse:
    """Which contracts cover a machine, by machine type and serial: as CSV or PDF."""
    form = _suggesting(request, MachineLookupForm(request.GET or None))
    status = 200
    if request.GET and form.is_valid():
        organisation = request.organisation
        machine_type, serial = form.cleaned_data["machine_type"], form.cleaned_data["serial"]
        try:
            machine = selectors.get_machine_for(organisation, machine_type, serial)
        except Http404:
            form.add_error(
                None,
                _("No machine of type %(type)s with serial number %(serial)s is in your inventory.")
                % {"type": machine_type, "serial": serial},
            )
            status = 404
        else:
            coverages = selectors.coverages_of_machine(machine)
            name = f"{machine.machine_type}-{machine.serial}-contracts"
            if form.cleaned_data["format"] == "csv":
                return download(
                    documents.machines_csv(coverages, organisation.language), f"{name}.csv", "text/csv; charset=utf-8"
                )
            title = _("Contracts covering machine %(machine)s") % {"machine": str(machine)}
            data = documents.machines_pdf(
                title, coverages, language=organisation.language, country=organisation.country
            )
            return download(data, f"{name}.pdf", "application/pdf")
    elif request.GET:
        status = 400
    return render(request, "contracts/lookup.html", {"form": form}, status=status)


@dataclass(frozen=True)
class MachineEligibility:
    coverage: CoveredMachine
    decision: rules.Eligibility
    pending: bool


def _eligibility(contract: Contract, today: date) -> list[MachineEligibility]:
    pending = selectors.pending_coverage_ids(contract)
    return [
        MachineEligibility(c, rules.customer_hardware_eligibility(c.covered_from, today), c.pk in pending)
        for c in selectors.coverages_of(contract, current_only=True)
    ]


def _contact_initial(request: CustomerRequest) -> dict[str, Any]:
    user = request.user
    return {"contact_name": user.get_full_name(), "contact_email": user.email, "contact_phone": user.phone}


@contracts_required
def terminate(request: CustomerRequest, number: str) -> HttpResponse:
    contract = selectors.get_contract_for(request.organisation, number)
    today = today_for(request.organisation)
    context: dict[str, Any] = {"contract": contract, "today": today}
    route = rules.termination_route(contract.kind)
    if route == rules.PER_MACHINE:
        return _terminate_hardware(request, contract, today, context)
    if route == rules.MONTHLY_LICENCE:
        return _terminate_licence(request, contract, today, context)
    if route == rules.AT_TERM:
        return _terminate_at_term(request, contract, today, context)
    return render(
        request,
        "contracts/terminate_none.html",
        {**context, "message": services.no_cancellation_message(contract.kind)},
    )


def _terminate_hardware(
    request: CustomerRequest, contract: Contract, today: date, context: dict[str, Any]
) -> HttpResponse:
    rows = _eligibility(contract, today)
    choices = [(row.coverage.pk, str(row.coverage.machine)) for row in rows]
    form = HardwareTerminationForm(request.POST or None, initial=_contact_initial(request), coverage_choices=choices)
    refusal: DomainError | None = None
    if request.method == "POST":
        if contract.status != ContractStatus.ACTIVE:
            form.add_error(None, _("Only an active contract can be terminated."))
        elif "edit" in request.POST:
            pass  # back from the review: the form again, filled in
        elif (
            form.is_valid()
            and _all_eligible(rows, form.cleaned_data["coverages"])
            and (review := _review_step(request, contract, form, choices, context))
        ):
            return review
        elif form.is_valid():
            try:
                termination = services.hardware_termination_request(
                    actor=request.user,
                    contract=contract,
                    coverage_ids=form.cleaned_data["coverages"],
                    contact=form.contact(),
                    effective_date=form.cleaned_data["effective_date"],
                    reason=form.cleaned_data["reason"],
                    today=today,
                    http_request=request,
                )
            except DomainError as error:
                refusal = error
            else:
                return _done(request, contract, termination.effective_date, termination.request_number)
    selected = {str(v) for v in (form.data.getlist("coverages") if form.is_bound else [])}  # type: ignore[attr-defined]
    eligible_rows = [r for r in rows if r.decision.eligible and not r.pending]
    earliest = max((r.decision.earliest_effective for r in eligible_rows), default=None)
    status = 400 if request.method == "POST" and "edit" not in request.POST else 200
    return render(
        request,
        "contracts/terminate_hardware.html",
        {**context, "form": form, "rows": rows, "selected": selected, "refusal": refusal, "earliest": earliest},
        status=status,
    )


def _notice_page(
    request: CustomerRequest,
    contract: Contract,
    form: ContactFields,
    template: str,
    context: dict[str, Any],
    give_notice: Callable[[], Termination],
    ready: Callable[[], bool] = lambda: True,
) -> HttpResponse:
    """A notice form: a valid POST gives the notice (then back to the contract), or shows the rule's refusal."""
    refusal: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        if ready() and (review := _review_step(request, contract, form, [], context)):
            return review
        if "edit" not in request.POST:
            try:
                termination = give_notice()
            except DomainError as error:
                refusal = error
            else:
                return _done(request, contract, termination.effective_date, termination.request_number)
    status = 400 if request.method == "POST" and "edit" not in request.POST else 200
    return render(request, template, {**context, "form": form, "refusal": refusal}, status=status)


def _terminate_licence(
    request: CustomerRequest, contract: Contract, today: date, context: dict[str, Any]
) -> HttpResponse:
    form = LicenceTerminationForm(request.POST or None, initial=_contact_initial(request))
    return _notice_page(
        request,
        contract,
        form,
        "contracts/terminate_licence.html",
        {**context, "earliest": rules.monthly_licence_earliest_end(today)},
        lambda: services.licence_termination_request(
            actor=request.user,
            contract=contract,
            contact=form.contact(),
            effective_date=form.cleaned_data["effective_date"],
            today=today,
            http_request=request,
        ),
    )


def _terminate_at_term(
    request: CustomerRequest, contract: Contract, today: date, context: dict[str, Any]
) -> HttpResponse:
    earliest, fixed = rules.end_of_term_effective(rules.term_end(contract.end_date, contract.renewal_date), today)
    form = EndOfTermForm(request.POST or None, initial=_contact_initial(request), date_fixed=fixed)
    return _notice_page(
        request,
        contract,
        form,
        "contracts/terminate_term.html",
        {**context, "earliest": earliest, "date_fixed": fixed},
        lambda: services.end_of_term_request(
            actor=request.user,
            contract=contract,
            contact=form.contact(),
            lapse_acknowledged=form.cleaned_data["lapse_acknowledged"],
            effective_date=form.cleaned_data.get("effective_date"),
            today=today,
            http_request=request,
        ),
        # Without the lapse acknowledged the rule refuses: say so at once, not after a review.
        ready=lambda: bool(form.cleaned_data["lapse_acknowledged"]),
    )


@require_POST
@contracts_required
def termination_withdraw(request: CustomerRequest, number: str, pk: int) -> HttpResponse:
    contract = selectors.get_contract_for(request.organisation, number)
    termination = selectors.get_termination_for(contract, pk)
    try:
        services.termination_withdraw(actor=request.user, termination=termination, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The termination is withdrawn; the contract goes on as before."))
    return HttpResponseRedirect(reverse("contracts:detail", kwargs={"number": contract.number}), status=303)


@require_POST
@contracts_required
def destruction_confirm(request: CustomerRequest, number: str, pk: int) -> HttpResponse:
    contract = selectors.get_contract_for(request.organisation, number)
    termination = selectors.get_termination_for(contract, pk)
    if not DestructionForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm that every copy has been destroyed."))
    else:
        try:
            services.licence_destruction_confirm(actor=request.user, termination=termination, http_request=request)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Thank you: the destruction of every copy is recorded."))
    return HttpResponseRedirect(reverse("contracts:detail", kwargs={"number": contract.number}), status=303)


def _all_eligible(rows: list[MachineEligibility], chosen: list[int]) -> bool:
    """Whether every chosen machine may go: if not, the rule's refusal shows at once, before any review."""
    by_pk = {row.coverage.pk: row for row in rows}
    return all(pk in by_pk and by_pk[pk].decision.eligible and not by_pk[pk].pending for pk in chosen)


def _review_step(
    request: CustomerRequest,
    contract: Contract,
    form: ContactFields,
    machine_choices: list[tuple[int, str]],
    context: dict[str, Any],
) -> HttpResponse | None:
    """A notice of termination binds the organisation: a valid form first shows what will be sent.

    The review page posts the same fields back with `confirmed`; "Change" posts them with `edit`
    (the form again, filled in). Returns None when the notice is confirmed or being changed.
    """
    if "confirmed" in request.POST or "edit" in request.POST:
        return None
    chosen = set(form.cleaned_data.get("coverages") or [])
    fields = [(k, v) for k, values in request.POST.lists() if k != "csrfmiddlewaretoken" for v in values]
    summary = {
        "machines": [label for pk, label in machine_choices if pk in chosen],
        "effective": form.cleaned_data.get("effective_date") or context.get("earliest"),
        "contact": form.contact(),
        "reason": form.cleaned_data.get("reason", ""),
    }
    return render(request, "contracts/terminate_review.html", {**context, "fields": fields, "summary": summary})


def _done(request: CustomerRequest, contract: Contract, effective: date, request_number: str) -> HttpResponse:
    messages.success(
        request,
        _("Your termination was sent as request %(request)s. Requested effective date: %(date)s.")
        % {"request": request_number, "date": day(effective, "long")},
    )
    return HttpResponseRedirect(reverse("contracts:detail", kwargs={"number": contract.number}), status=303)


@contracts_required
def termination_notice(request: CustomerRequest, number: str, pk: int) -> FileResponse:
    contract = selectors.get_contract_for(request.organisation, number)
    termination = selectors.get_termination_for(contract, pk)
    if not termination.notice_document:
        raise Http404
    return stored_download(
        termination.notice_document.open("rb"), f"{contract.number}-notice-{termination.pk}.pdf", "application/pdf"
    )


@contracts_required
def servicepac(request: CustomerRequest) -> HttpResponse:
    form = _suggesting(request, ServicePacForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            coverage = services.servicepac_activate(
                actor=request.user,
                organisation=request.organisation,
                code=form.cleaned_data["code"],
                machine_type=form.cleaned_data["machine_type"],
                serial=form.cleaned_data["serial"],
                http_request=request,
            )
        except DomainError as error:
            fields: dict[StrEnum, str] = {
                Code.INVALID_CODE_FORMAT: "code",
                Code.UNKNOWN_CODE: "code",
                Code.CODE_ALREADY_USED: "code",
                Code.MACHINE_NOT_FOUND: "serial",
            }
            form.add_error(fields.get(error.code), str(error.message))
        else:
            messages.success(
                request,
                _("ServicePac activated: %(machine)s is now covered by contract %(number)s.")
                % {"machine": str(coverage.machine), "number": coverage.contract.number},
            )
            return HttpResponseRedirect(
                reverse("contracts:detail", kwargs={"number": coverage.contract.number}), status=303
            )
    status = 400 if request.method == "POST" else 200
    return render(request, "contracts/servicepac.html", {"form": form}, status=status)
