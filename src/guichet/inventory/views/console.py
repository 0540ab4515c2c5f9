"""Agents' inventory console: repairs to dispatch, transfers to confirm, relocations to evaluate,
site changes to review, CSV import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from guichet.accounts.access import staff_required
from guichet.accounts.http import PortalRequest
from guichet.accounts.models import User
from guichet.core import listing
from guichet.core.errors import DomainError
from guichet.core.money import currency_for_country
from guichet.core.tenancy import tenant_scope

from .. import selectors, services
from ..forms import DecisionForm, EstimateForm, ImportForm
from ..importer import progress_of


def _number(row: Any) -> str:
    return str(row.number)


def _customer(row: Any) -> str:
    return str(row.organisation.name)


REPAIR_LIST = listing.ListSpec(
    "inventory_console_repairs",
    (
        listing.Column("number", _l("Number"), value=_number),
        listing.Column("customer", _l("Customer"), value=_customer),
        listing.Column("machine", _l("Machine"), value=lambda r: str(r.machine)),
        listing.Column("handling", _l("Handling"), value=lambda r: r.get_handling_display()),
        listing.Column("due", _l("Dispatch by"), value=lambda r: r.dispatch_due),
    ),
    default="due",
    param="repairs_sort",
)
TRANSFER_LIST = listing.ListSpec(
    "inventory_console_transfers",
    (
        listing.Column("number", _l("Number"), value=_number),
        listing.Column("customer", _l("Customer"), value=_customer),
        listing.Column("machine", _l("Machine"), value=lambda t: str(t.machine)),
        listing.Column("last_day", _l("Last charged day"), value=lambda t: t.last_charged_day),
        listing.Column("due", _l("Confirm by"), value=lambda t: t.confirm_due),
    ),
    default="due",
    param="transfers_sort",
)
RELOCATION_LIST = listing.ListSpec(
    "inventory_console_relocations",
    (
        listing.Column("number", _l("Number"), value=_number),
        listing.Column("customer", _l("Customer"), value=_customer),
        listing.Column("move", _l("Move"), value=lambda r: f"{r.machine} · {r.from_country} → {r.to_country}"),
        listing.Column("status", _l("Status"), value=lambda r: r.get_status_display()),
        listing.Column("due", _l("Evaluate by"), value=lambda r: r.evaluate_due),
    ),
    default="due",
    param="relocations_sort",
)


@staff_required
def home(request: PortalRequest) -> HttpResponseBase:
    lists: dict[str, tuple[listing.ListSpec, list[Any]]] = {
        "repairs": (REPAIR_LIST, selectors.repairs_to_dispatch(request.user)),
        "transfers": (TRANSFER_LIST, selectors.transfers_to_confirm(request.user)),
        "relocations": (RELOCATION_LIST, selectors.relocations_to_handle(request.user)),
    }
    context: dict[str, object] = {"site_changes": selectors.site_changes_to_review(request.user)}
    for name, (spec, rows) in lists.items():
        built = listing.worklist(request, spec, rows)
        if listing.export_of(request, spec) == "csv":
            return listing.rows_csv(f"{name}.csv", spec, built.rows)
        context[name], context[f"{name}_list"] = built.rows, built.context
    return render(request, "inventory/console/home.html", context)


def _home() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("inventory_console:home"), status=303)


@staff_required
def repair(request: PortalRequest, number: str) -> HttpResponse:
    return _repair_page(request, selectors.get_repair_for_staff(request.user, number))


def _repair_page(request: PortalRequest, item: Any, form: EstimateForm | None = None) -> HttpResponse:
    return render(
        request,
        "inventory/console/repair.html",
        {
            "repair": item,
            "tz": str(selectors.calendar_of_site(item.machine).tz),
            "estimate_form": form or EstimateForm(),
            "currency": currency_for_country(item.organisation.country),
        },
        status=400 if form is not None else 200,
    )


@require_POST
@staff_required
def repair_estimate(request: PortalRequest, number: str) -> HttpResponse:
    """Send the customer a cost estimate of an uncovered repair; it then waits for their answer."""
    item = selectors.get_repair_for_staff(request.user, number)
    form = EstimateForm(request.POST)
    if not form.is_valid():
        return _repair_page(request, item, form)
    try:
        with tenant_scope(item.organisation):
            services.repair_estimate(
                actor=request.user,
                repair=item,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
                http_request=request,
            )
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _repair_page(request, item, form)
    messages.success(request, _("Estimate sent to the customer for %(number)s.") % {"number": number})
    return HttpResponseRedirect(reverse("inventory_console:repair", kwargs={"number": number}), status=303)


def _repair_step(request: PortalRequest, number: str, step: Callable[..., object], done: str) -> HttpResponse:
    """Take one step of a repair (a service) for the agent, then back to the console's home."""
    item = selectors.get_repair_for_staff(request.user, number)
    try:
        with tenant_scope(item.organisation):
            step(actor=request.user, repair=item, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return _home()


@require_POST
@staff_required
def repair_dispatch(request: PortalRequest, number: str) -> HttpResponse:
    return _repair_step(request, number, services.repair_dispatch, _("%(number)s dispatched.") % {"number": number})


@require_POST
@staff_required
def repair_close(request: PortalRequest, number: str) -> HttpResponse:
    done = _("%(number)s marked done; the customer is told.") % {"number": number}
    return _repair_step(request, number, services.repair_close, done)


@staff_required
def transfer(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_transfer_for_staff(request.user, number)
    return render(request, "inventory/console/transfer.html", {"transfer": item})


@require_POST
@staff_required
def transfer_confirm(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_transfer_for_staff(request.user, number)
    try:
        with tenant_scope(item.organisation):
            services.transfer_confirm(actor=request.user, transfer=item, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(number)s confirmed.") % {"number": number})
    return _home()


def _relocation_back(number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("inventory_console:relocation", kwargs={"number": number}), status=303)


@staff_required
def relocation(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_relocation_for_staff(request.user, number)
    return render(request, "inventory/console/relocation.html", {"relocation": item, "decision_form": DecisionForm()})


@require_POST
@staff_required
def relocation_assign(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_relocation_for_staff(request.user, number)
    raw = request.POST.get("assignee", "")
    assignee = request.user if raw in ("", "me") else User.objects.filter(pk=raw if raw.isdigit() else 0).first()
    if assignee is None:
        messages.error(request, _("Choose an agent."))
        return _relocation_back(number)
    try:
        with tenant_scope(item.organisation):
            services.relocation_assign(actor=request.user, relocation=item, assignee=assignee, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    return _relocation_back(number)


@require_POST
@staff_required
def relocation_decide(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_relocation_for_staff(request.user, number)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return _relocation_back(number)
    try:
        with tenant_scope(item.organisation):
            services.relocation_decide(
                actor=request.user,
                relocation=item,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                http_request=request,
            )
    except DomainError as error:
        messages.error(request, str(error.message))
    return _relocation_back(number)


@require_POST
@staff_required
def relocation_carry_out(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_relocation_for_staff(request.user, number)
    try:
        with tenant_scope(item.organisation):
            services.relocation_carry_out(actor=request.user, relocation=item, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    return _relocation_back(number)


@require_POST
@staff_required
def site_change_review(request: PortalRequest, pk: int) -> HttpResponse:
    change = selectors.get_site_change_for_staff(request.user, pk)
    try:
        with tenant_scope(change.organisation):
            services.site_change_review(actor=request.user, change=change, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    return _home()


@staff_required
def import_inventory(request: PortalRequest) -> HttpResponse:
    """Upload an organisation's inventory; it is imported in the background, the job page shows progress."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation = (
            selectors.organisations_for_staff(request.user)
            .filter(customer_number=form.cleaned_data["organisation"].strip())
            .first()
        )
        if organisation is None:
            form.add_error("organisation", _("No customer with this number in your country."))
        else:
            job = services.import_job_create(
                actor=request.user, organisation=organisation, upload=form.cleaned_data["file"], http_request=request
            )
            return HttpResponseRedirect(reverse("inventory_console:import_job", kwargs={"pk": job.pk}), status=303)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "inventory/console/import.html",
        {"form": form, "jobs": selectors.import_jobs_for_staff(request.user)[:10]},
        status=status,
    )


@staff_required
def import_job(request: PortalRequest, pk: int) -> HttpResponse:
    job = selectors.get_import_job_for_staff(request.user, pk)
    context = {"job": job, "done_rows": progress_of(job.pk), "finished": job.status in ("done", "rejected", "failed")}
    if request.headers.get("HX-Request"):
        return render(request, "inventory/console/partials/import_job.html", context)
    return render(request, "inventory/console/import_job.html", context)
