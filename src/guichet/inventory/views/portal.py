"""Customer pages of My inventory: list and look-up, machine page, site edit, repair, transfer, relocation."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from guichet.accounts.access import application_required
from guichet.accounts.http import CustomerRequest
from guichet.core import listing
from guichet.core.barcodes import code128_svg
from guichet.core.calendar import today_for
from guichet.core.documents import reader_language, render_pdf
from guichet.core.downloads import download
from guichet.core.errors import DomainError
from guichet.core.paging import capped_count

from .. import rules, selectors, services
from ..errors import Code
from ..forms import (
    BILLING_WORDING,
    EstimateAnswerForm,
    ListFilterForm,
    LookupForm,
    RelocationForm,
    RepairForm,
    SiteForm,
    TransferForm,
)
from ..models import EstimateStatus, Machine, RepairRequest
from ..rows import machine_rows
from ..selectors import AmbiguousSerial
from ..templatetags.inventory_ui import coverage_label

inventory_required = application_required("inventory")

# Help articles a machine page points to (help centre slugs).
HELP_POINTERS = (
    ("repair-service", gettext_lazy("Repair service")),
    ("software-keys", gettext_lazy("Software keys")),
    ("download-entitled-software", gettext_lazy("Downloads of entitled software")),
    ("recycle-product", gettext_lazy("Recycling (WEEE)")),
    ("appliance-support", gettext_lazy("Appliance support")),
    ("report-machine-transfer", gettext_lazy("Machine leaving your organisation")),
    ("appliance-cross-border-move", gettext_lazy("Cross-border relocation")),
)


def machine_url(name: str, machine: Machine) -> str:
    """A machine page's URL; the type rides along so a serial shared by two types stays unambiguous."""
    return reverse(name, kwargs={"serial": machine.serial}) + "?" + urlencode({"type": machine.machine_type})


def support_request_url(machine_type: str, model: str, serial: str, subject: str = "") -> str:
    params = {"type": "inventory", "machine_type": machine_type, "machine_model": model, "serial": serial}
    if subject:
        params["subject"] = subject
    return reverse("support:request_new") + "?" + urlencode(params)


def _machine(request: CustomerRequest, serial: str) -> Machine:
    return selectors.get_machine_for(request.organisation, serial, request.GET.get("type", "")[:4])


def _ambiguous(request: CustomerRequest, error: AmbiguousSerial) -> HttpResponse:
    return render(request, "inventory/ambiguous.html", {"error": error}, status=409)


def _tz(machine: Machine) -> str:
    return str(selectors.calendar_of_site(machine).tz)


MACHINE_LIST = listing.ListSpec(
    "machines",
    (
        listing.Column("machine", _l("Machine"), ("machine_type", "model", "serial")),
        listing.Column("description", _l("Description"), ("description",)),
        listing.Column("site", _l("Site"), ("site_country", "site_name", "site_city")),
    ),
    default="machine",
    filters=("q", "coverage", "country"),
)
MACHINE_FILTERS = listing.FilterPanel(
    MACHINE_LIST, ListFilterForm, "inventory/list_filters.html", exports=("csv", "pdf")
)


def _machine_header() -> list[str]:
    return [
        _("Type"),
        _("Model"),
        _("Serial number"),
        _("Description"),
        _("Site"),
        _("Country"),
        _("Coverage"),
        _("Until"),
    ]


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _machine_rows(machines: list[Machine], today: date, coverage: str) -> list[list[object]]:
    states = selectors.coverages_of(machines, today)
    return [
        [
            m.machine_type,
            m.model,
            m.serial,
            m.description,
            m.site_name or m.site_city,
            m.site_country,
            coverage_label(states[m.pk]),
            _iso(states[m.pk].until),
        ]
        for m in machines
        if not coverage or states[m.pk].state == coverage
    ]


def _export_machines(
    request: CustomerRequest, kind: str, machines: list[Machine], today: date, coverage: str
) -> HttpResponseBase:
    name = f"machines-{request.organisation.customer_number}"
    if kind == "csv":
        return listing.csv_export(f"{name}.csv", _machine_header(), _machine_rows(machines, today, coverage))
    language = reader_language(request.GET.get("lang", ""), request.user, request.organisation.language)
    with translation.override(language):
        title = _("Machines of %(name)s") % {"name": request.organisation.name}
        rows = _machine_rows(machines[: listing.MAX_PDF_ROWS], today, coverage)
        return listing.pdf_export(title, _machine_header(), rows, f"{name}.pdf", language=language)


def _suggestions(request: CustomerRequest) -> dict[str, list[str]]:
    types, serials = selectors.machine_suggestions(request.organisation)
    return {"suggested_types": types, "suggested_serials": serials}


@inventory_required
def machine_list(request: CustomerRequest) -> HttpResponseBase:
    if remembered := listing.restore_filters(request, MACHINE_LIST):
        return remembered
    filters = MACHINE_FILTERS(request)
    query = coverage = country = ""
    if filters.valid:
        query, coverage, country = (filters.data[k] for k in ("q", "coverage", "country"))
        listing.save_filters(request, MACHINE_LIST)
    sorting = filters.sorting
    filtered = selectors.MachineFilters(query=query, country=country, coverage=coverage)
    machines = sorting.apply(selectors.machines_of(request.organisation, filtered))
    today = today_for(request.organisation)
    if export := listing.export_of(request):
        return _export_machines(request, export, list(machines), today, coverage)
    page = sorting.page(request, machines)
    return render(
        request,
        "inventory/list.html",
        {
            "page": page,
            # Coverage is computed, not stored: for the page at once (one query), filtered in SQL.
            "rows": machine_rows(page, selectors.coverages_of(page, today)),
            "more_than": capped_count(machines),
            "filters_html": filters.html,
            "sort": filters.sort,
            "lookup_form": LookupForm(),
            "today": today,
            **_suggestions(request),
        },
    )


@inventory_required
def lookup(request: CustomerRequest) -> HttpResponse:
    """Coverage by serial, or type + serial: the look-up the help centre links to."""
    form = LookupForm(request.GET if "serial" in request.GET else None)
    context: dict[str, Any] = {"lookup_form": form, **_suggestions(request)}
    status = 200
    if form.is_valid():
        serial, machine_type = form.cleaned_data["serial"], form.cleaned_data["machine_type"]
        try:
            machine = selectors.get_machine_for(request.organisation, serial, machine_type)
        except AmbiguousSerial as error:
            context["ambiguous"] = error.details.get("types", [])
        except Http404:  # not in this organisation's inventory
            context["not_found"] = True
            context["wrong_url"] = support_request_url(machine_type, "", serial)
        else:
            context.update(_coverage_context(machine))
    elif form.is_bound:
        status = 400
    template = "inventory/partials/lookup_result.html" if request.headers.get("HX-Request") else "inventory/lookup.html"
    return render(request, template, context, status=status)


def _coverage_context(machine: Machine) -> dict[str, Any]:
    return {
        "machine": machine,
        "coverage": selectors.coverage_of(machine),
        "detail_url": machine_url("inventory:detail", machine),
        "wrong_url": support_request_url(
            machine.machine_type,
            machine.model,
            machine.serial,
            _("Coverage of machine %(machine)s") % {"machine": machine},
        ),
    }


@inventory_required
def machine_detail(request: CustomerRequest, serial: str) -> HttpResponse:
    try:
        machine = _machine(request, serial)
    except AmbiguousSerial as error:
        return _ambiguous(request, error)
    return render(
        request,
        "inventory/detail.html",
        {
            **_coverage_context(machine),
            "repairs": selectors.repairs_of_machine(machine)[:20],
            "transfers": selectors.transfers_of_machine(machine)[:20],
            "relocations": selectors.relocations_of_machine(machine)[:20],
            "site_changes": selectors.site_changes_of(machine)[:20],
            "help_pointers": HELP_POINTERS,
            "urls": {
                name: machine_url(f"inventory:{name}", machine)
                for name in ("edit", "repair_new", "transfer_new", "relocation_new")
            },
            "tz": _tz(machine),
        },
    )


@inventory_required
def machine_edit(request: CustomerRequest, serial: str) -> HttpResponse:
    try:
        machine = _machine(request, serial)
    except AmbiguousSerial as error:
        return _ambiguous(request, error)
    form = SiteForm(request.POST or None, instance=Machine(**{f: getattr(machine, f) for f in SiteForm.Meta.fields}))
    if request.method == "POST" and form.is_valid():
        try:
            services.machine_update_site(
                actor=request.user,
                machine=machine,
                changes={f: form.cleaned_data[f] for f in SiteForm.Meta.fields},
                http_request=request,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The machine's site and contact are updated."))
            return HttpResponseRedirect(machine_url("inventory:detail", machine), status=303)
    return render(
        request,
        "inventory/edit.html",
        {
            "machine": machine,
            "form": form,
            "detail_url": machine_url("inventory:detail", machine),
            "notice_days": settings.RELOCATION_MIN_LEAD_BUSINESS_DAYS,
            "evaluation_days": settings.RELOCATION_EVALUATE_BUSINESS_DAYS,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@inventory_required
def repair_new(request: CustomerRequest, serial: str) -> HttpResponse:
    try:
        machine = _machine(request, serial)
    except AmbiguousSerial as error:
        return _ambiguous(request, error)
    coverage = selectors.coverage_of(machine)
    form = RepairForm(request.POST or None, covered=coverage.covered)
    if request.method == "POST" and form.is_valid():
        try:
            repair = services.repair_request(
                actor=request.user,
                machine=machine,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                accept_billing=bool(form.cleaned_data.get("accept_billing")),
                http_request=request,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Service request %(number)s filed.") % {"number": repair.number})
            return HttpResponseRedirect(reverse("inventory:repair", kwargs={"number": repair.number}), status=303)
    return render(
        request,
        "inventory/repair_new.html",
        {
            "machine": machine,
            "coverage": coverage,
            "handling": rules.handling_for(coverage.service_level),
            "form": form,
            "detail_url": machine_url("inventory:detail", machine),
            "wrong_url": support_request_url(machine.machine_type, machine.model, machine.serial),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@inventory_required
def repair_detail(request: CustomerRequest, number: str) -> HttpResponse:
    repair = selectors.get_repair_for(request.organisation, number)
    return render(
        request,
        "inventory/repair.html",
        {
            "repair": repair,
            "tz": _tz(repair.machine),
            "detail_url": machine_url("inventory:detail", repair.machine),
            "billing_wording": BILLING_WORDING,
        },
    )


@require_POST
@inventory_required
def repair_estimate_answer(request: CustomerRequest, number: str) -> HttpResponse:
    """Accept or decline a repair's cost estimate: a review page first, then the answer on confirmation."""
    repair = selectors.get_repair_for(request.organisation, number)
    form = EstimateAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you accept or decline the estimate."))
        return HttpResponseRedirect(reverse("inventory:repair", kwargs={"number": number}), status=303)
    accept = form.cleaned_data["answer"] == "accept"
    if repair.estimate_status != EstimateStatus.PENDING:
        messages.error(request, _("This repair has no cost estimate waiting for an answer."))
        return HttpResponseRedirect(reverse("inventory:repair", kwargs={"number": number}), status=303)
    if "confirmed" not in request.POST:
        return render(
            request,
            "inventory/estimate_review.html",
            {"repair": repair, "accept": accept, "answer": form.cleaned_data["answer"]},
        )
    try:
        services.repair_estimate_answer(actor=request.user, repair=repair, accept=accept, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Estimate accepted: the repair can go ahead.")
            if accept
            else _("Estimate declined: the repair request is closed and no work is done."),
        )
    return HttpResponseRedirect(reverse("inventory:repair", kwargs={"number": number}), status=303)


def label_pdf(repair: RepairRequest, language: str) -> bytes:
    from guichet.core.countries import get_centre

    centre = get_centre(repair.organisation.country)
    machine = repair.machine
    return render_pdf(
        "inventory/documents/shipping_label.html",
        {
            "repair": repair,
            "machine": machine,
            "organisation": repair.organisation,
            "centre": centre,
            "barcode": code128_svg(repair.number),
        },
        language=language,
    )


@inventory_required
def repair_label(request: CustomerRequest, number: str) -> HttpResponse:
    repair = selectors.get_repair_for(request.organisation, number)
    if repair.handling != rules.MAIL:
        return render(request, "404.html", status=404)
    return download(label_pdf(repair, request.LANGUAGE_CODE), f"{repair.number}-label.pdf", "application/pdf")


@inventory_required
def transfer_new(request: CustomerRequest, serial: str) -> HttpResponse:
    try:
        machine = _machine(request, serial)
    except AmbiguousSerial as error:
        return _ambiguous(request, error)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_report(
                actor=request.user,
                machine=machine,
                kind=form.cleaned_data["kind"],
                leaves_on=form.cleaned_data["leaves_on"],
                reason=form.cleaned_data["reason"],
                financing_quote=form.cleaned_data["financing_quote"],
                buyer=form.cleaned_data["buyer"],
                http_request=request,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Reported as %(number)s. Maintenance is charged until %(day)s; an agent will confirm.")
                % {"number": transfer.number, "day": transfer.last_charged_day.isoformat()},
            )
            return HttpResponseRedirect(machine_url("inventory:detail", machine), status=303)
    return render(
        request,
        "inventory/transfer_new.html",
        {
            "machine": machine,
            "form": form,
            "detail_url": machine_url("inventory:detail", machine),
            "today": today_for(request.organisation),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@inventory_required
def relocation_new(request: CustomerRequest, serial: str) -> HttpResponse:
    try:
        machine = _machine(request, serial)
    except AmbiguousSerial as error:
        return _ambiguous(request, error)
    form = RelocationForm(
        request.POST or None,
        initial={
            "from_country": machine.site_country,
            "from_address": "\n".join(filter(None, (machine.site_name, *machine.postal_lines))),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            relocation = services.relocation_request(
                actor=request.user,
                machine=machine,
                **{
                    k: form.cleaned_data[k]
                    for k in ("from_country", "from_address", "to_country", "to_address", "desired_date", "notes")
                },
                http_request=request,
            )
        except DomainError as error:
            form.add_error("desired_date" if error.code == Code.TOO_SOON else None, str(error.message))
        else:
            messages.success(
                request, _("Relocation request %(number)s sent for evaluation.") % {"number": relocation.number}
            )
            return HttpResponseRedirect(
                reverse("inventory:relocation", kwargs={"number": relocation.number}), status=303
            )
    return render(
        request,
        "inventory/relocation_new.html",
        {
            "machine": machine,
            "form": form,
            "detail_url": machine_url("inventory:detail", machine),
            "notice_days": settings.RELOCATION_MIN_LEAD_BUSINESS_DAYS,
            "evaluation_days": settings.RELOCATION_EVALUATE_BUSINESS_DAYS,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@inventory_required
def relocation_detail(request: CustomerRequest, number: str) -> HttpResponse:
    relocation = selectors.get_relocation_for(request.organisation, number)
    return render(
        request,
        "inventory/relocation.html",
        {"relocation": relocation, "detail_url": machine_url("inventory:detail", relocation.machine)},
    )
