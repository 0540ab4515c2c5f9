"""Inventory API: the same forms, services and selectors as the My inventory pages.

Machines are addressed by serial number. A serial is unique per machine type only:
if two of the organisation's machines share one, add `?type=` (else 409
`ambiguous_serial`, with the types in `details.types`). Another organisation's
machine is a 404 exactly like a missing one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from guichet.accounts.api_access import AUTH, require_application
from guichet.accounts.models import Organisation
from guichet.core.api import ErrorOut, InvalidInput, Page, PageOut, PageSize, check_page, paginate
from guichet.core.calendar import today_for
from guichet.core.tenancy import tenant_scope

from . import rules, selectors, services
from .forms import ListFilterForm, RelocationForm, RepairForm, SiteForm, TransferForm
from .models import Machine, Relocation, RepairRequest, Transfer

router = Router(tags=["inventory"], auth=AUTH)

APPLICATION = "inventory"


def _invalid(form: forms.BaseForm) -> InvalidInput:
    errors = []
    for field, field_errors in form.errors.as_data().items():
        loc = ["body", "payload"] if field == NON_FIELD_ERRORS else ["body", "payload", field]
        for error in field_errors:
            errors.append({"type": error.code or "invalid", "loc": loc, "msg": " ".join(error.messages)})
    return InvalidInput(_("Some fields are missing or invalid."), details={"errors": errors})


# --- output -----------------------------------------------------------------------------------


class MachineCoverageOut(Schema):
    state: str  # contract, warranty, none
    until: date | None
    contract_number: str
    service_level: str


class SiteOut(Schema):
    name: str
    street: str
    postcode: str
    city: str
    country: str


class MachineContactOut(Schema):
    name: str
    phone: str
    email: str


class MachineOut(Schema):
    machine_type: str
    model: str
    serial: str
    description: str
    site: SiteOut
    contact: MachineContactOut
    install_date: date | None
    warranty_end: date | None
    departed_on: date | None
    coverage: MachineCoverageOut


class MachinePageOut(PageOut):
    items: list[MachineOut]


def _coverage(coverage: rules.Coverage) -> dict[str, Any]:
    return {
        "state": coverage.state,
        "until": coverage.until,
        "contract_number": coverage.contract_number,
        "service_level": coverage.service_level,
    }


def _machine(machine: Machine, coverage: rules.Coverage) -> dict[str, Any]:
    return {
        "machine_type": machine.machine_type,
        "model": machine.model,
        "serial": machine.serial,
        "description": machine.description,
        "site": {
            "name": machine.site_name,
            "street": machine.site_street,
            "postcode": machine.site_postcode,
            "city": machine.site_city,
            "country": machine.site_country,
        },
        "contact": {"name": machine.contact_name, "phone": machine.contact_phone, "email": machine.contact_email},
        "install_date": machine.install_date,
        "warranty_end": machine.warranty_end,
        "departed_on": machine.departed_on,
        "coverage": _coverage(coverage),
    }


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


# --- machines ---------------------------------------------------------------------------------


@router.get("machines", response={200: MachinePageOut, **ERRORS})
def list_machines(
    request: HttpRequest, q: str = "", coverage: str = "", country: str = "", page: Page = 1, page_size: PageSize = 50
) -> dict[str, Any]:
    """The organisation's machines (those still with it), each with its coverage today."""
    organisation: Organisation = require_application(request, APPLICATION)
    filters = ListFilterForm({"q": q, "coverage": coverage, "country": country})
    if not filters.is_valid():
        raise _invalid(filters)
    with tenant_scope(organisation):
        machines = selectors.machines_of(
            organisation,
            selectors.MachineFilters(query=filters.cleaned_data["q"], country=filters.cleaned_data["country"]),
        )
        today = today_for(organisation)
        if filters.cleaned_data["coverage"]:
            every = list(machines)
            states = selectors.coverages_of(every, today)
            matching = [m for m in every if states[m.pk].state == filters.cleaned_data["coverage"]]
            check_page(page, page_size)
            items = matching[(page - 1) * page_size : page * page_size]
            return {"items": [_machine(m, states[m.pk]) for m in items], "count": len(matching)}
        items, count = paginate(machines, page, page_size)
        states = selectors.coverages_of(items, today)
        return {"items": [_machine(m, states[m.pk]) for m in items], "count": count}


@router.get("machines/{serial}", response={200: MachineOut, **ERRORS})
def get_machine(request: HttpRequest, serial: str, type: str = "") -> dict[str, Any]:
    """One machine and what covers it today: a maintenance contract (until when, which service
    level), the warranty, or nothing."""
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        machine = selectors.get_machine_for(organisation, serial, type)
        return _machine(machine, selectors.coverage_of(machine))


class MachinePatchIn(Schema):
    site_name: str | None = None
    site_street: str | None = None
    site_postcode: str | None = None
    site_city: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


@router.patch("machines/{serial}", response={200: MachineOut, **ERRORS})
def patch_machine(request: HttpRequest, serial: str, payload: MachinePatchIn, type: str = "") -> dict[str, Any]:
    """Change the machine's site or on-site contact (recorded, reviewed by an agent)."""
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        machine = selectors.get_machine_for(organisation, serial, type)
        given = payload.dict(exclude_unset=True)
        data = {f: getattr(machine, f) for f in SiteForm.Meta.fields}
        data.update({k: v or "" for k, v in given.items()})
        form = SiteForm(data, instance=Machine(**{f: getattr(machine, f) for f in SiteForm.Meta.fields}))
        if not form.is_valid():
            raise _invalid(form)
        machine = services.machine_update_site(
            actor=request.user,  # type: ignore[arg-type]
            machine=machine,
            changes={f: form.cleaned_data[f] for f in given},
            http_request=request,
        )
        return _machine(machine, selectors.coverage_of(machine))


# --- repairs ----------------------------------------------------------------------------------


class RepairIn(Schema):
    kind: str
    description: str
    accept_billing: bool = False


class EstimateOut(Schema):
    status: str  # pending (waiting for the customer's acceptance), accepted, declined
    amount: Decimal
    currency: str
    note: str
    sent_at: datetime
    answered_at: datetime | None


class RepairOut(Schema):
    number: str
    machine: str
    kind: str
    status: str
    coverage: str
    contract_number: str
    service_level: str
    handling: str
    slot_start: datetime | None
    slot_end: datetime | None
    shipping_label_url: str | None
    billing_accepted_at: datetime | None
    billing_wording_version: str
    estimate: EstimateOut | None
    created_at: datetime


def _estimate(repair: RepairRequest) -> dict[str, Any] | None:
    if not repair.estimate_status:
        return None
    return {
        "status": repair.estimate_status,
        "amount": repair.estimate_amount,
        "currency": repair.estimate_currency,
        "note": repair.estimate_note,
        "sent_at": repair.estimate_sent_at,
        "answered_at": repair.estimate_answered_at,
    }


def _repair(repair: RepairRequest) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "number": repair.number,
        "machine": str(repair.machine),
        "kind": repair.kind,
        "status": repair.status,
        "coverage": repair.coverage,
        "contract_number": repair.contract_number,
        "service_level": repair.service_level,
        "handling": repair.handling,
        "slot_start": repair.slot_start,
        "slot_end": repair.slot_end,
        "shipping_label_url": reverse("inventory:repair_label", kwargs={"number": repair.number})
        if repair.handling == rules.MAIL
        else None,
        "billing_accepted_at": repair.billing_accepted_at,
        "billing_wording_version": repair.billing_wording_version,
        "estimate": _estimate(repair),
        "created_at": repair.created_at,
    }


@router.post("machines/{serial}/repairs", response={201: RepairOut, **ERRORS})
def create_repair(request: HttpRequest, serial: str, payload: RepairIn, type: str = "") -> Status[dict[str, Any]]:
    """File a repair service request. For a machine not covered, `accept_billing: true` is required
    (parts and labour are billed); without it the answer is 400 `billing_not_accepted`. The agent
    then sends a cost estimate (`estimate` in `GET repairs/{number}`), which the customer accepts
    or declines before the repair is dispatched."""
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        machine = selectors.get_machine_for(organisation, serial, type)
        form = RepairForm({"kind": payload.kind, "description": payload.description}, covered=True)
        if not form.is_valid():
            raise _invalid(form)
        repair = services.repair_request(
            actor=request.user,  # type: ignore[arg-type]
            machine=machine,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            accept_billing=payload.accept_billing,
            http_request=request,
        )
        return Status(201, _repair(repair))


@router.get("repairs/{number}", response={200: RepairOut, **ERRORS})
def get_repair(request: HttpRequest, number: str) -> dict[str, Any]:
    """A repair service request of the organisation, with its cost estimate if it has one."""
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        return _repair(selectors.get_repair_for(organisation, number))


def _answer_estimate(request: HttpRequest, number: str, *, accept: bool) -> dict[str, Any]:
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        repair = services.repair_estimate_answer(
            actor=request.user,  # type: ignore[arg-type]
            repair=selectors.get_repair_for(organisation, number),
            accept=accept,
            http_request=request,
        )
        return _repair(repair)


@router.post("repairs/{number}/estimate/accept", response={200: RepairOut, **ERRORS})
def accept_estimate(request: HttpRequest, number: str) -> dict[str, Any]:
    """Accept the repair's cost estimate: parts and labour are billed on its basis, and the repair
    can be dispatched. 409 `estimate_not_pending` when no estimate waits for an answer."""
    return _answer_estimate(request, number, accept=True)


@router.post("repairs/{number}/estimate/decline", response={200: RepairOut, **ERRORS})
def decline_estimate(request: HttpRequest, number: str) -> dict[str, Any]:
    """Decline the repair's cost estimate: the request closes as `declined`, no work is done.
    409 `estimate_not_pending` when no estimate waits for an answer."""
    return _answer_estimate(request, number, accept=False)


# --- transfers --------------------------------------------------------------------------------


class TransferIn(Schema):
    kind: str  # lease_return or sale
    leaves_on: date
    reason: str
    financing_quote: str = ""
    buyer: str = ""


class TransferOut(Schema):
    number: str
    machine: str
    kind: str
    status: str
    leaves_on: date
    reported_on: date
    last_charged_day: date
    contract_number: str
    financing_quote: str
    buyer: str


def _transfer(transfer: Transfer) -> dict[str, Any]:
    return {
        "number": transfer.number,
        "machine": str(transfer.machine),
        "kind": transfer.kind,
        "status": transfer.status,
        "leaves_on": transfer.leaves_on,
        "reported_on": transfer.reported_on,
        "last_charged_day": transfer.last_charged_day,
        "contract_number": transfer.contract_number,
        "financing_quote": transfer.financing_quote,
        "buyer": transfer.buyer,
    }


@router.post("machines/{serial}/transfers", response={201: TransferOut, **ERRORS})
def create_transfer(request: HttpRequest, serial: str, payload: TransferIn, type: str = "") -> Status[dict[str, Any]]:
    """Report the machine leaving: returned at lease end or sold. The answer gives the last day
    maintenance is charged; an agent confirms."""
    organisation: Organisation = require_application(request, APPLICATION)
    form = TransferForm({**payload.dict(), "leaves_on": payload.leaves_on.isoformat()})
    if not form.is_valid():
        raise _invalid(form)
    with tenant_scope(organisation):
        machine = selectors.get_machine_for(organisation, serial, type)
        transfer = services.transfer_report(
            actor=request.user,  # type: ignore[arg-type]
            machine=machine,
            **{k: form.cleaned_data[k] for k in ("kind", "leaves_on", "reason", "financing_quote", "buyer")},
            http_request=request,
        )
        return Status(201, _transfer(transfer))


# --- relocations ------------------------------------------------------------------------------


class RelocationIn(Schema):
    from_country: str
    from_address: str
    to_country: str
    to_address: str
    desired_date: date
    notes: str = ""


class RelocationOut(Schema):
    number: str
    machine: str
    status: str
    from_country: str
    from_address: str
    to_country: str
    to_address: str
    desired_date: date
    evaluate_due: date | None
    created_at: datetime


def _relocation(relocation: Relocation) -> dict[str, Any]:
    return {
        "number": relocation.number,
        "machine": str(relocation.machine),
        "status": relocation.status,
        "from_country": relocation.from_country,
        "from_address": relocation.from_address,
        "to_country": relocation.to_country,
        "to_address": relocation.to_address,
        "desired_date": relocation.desired_date,
        "evaluate_due": relocation.evaluate_due,
        "created_at": relocation.created_at,
    }


@router.post("machines/{serial}/relocations", response={201: RelocationOut, **ERRORS})
def create_relocation(
    request: HttpRequest, serial: str, payload: RelocationIn, type: str = ""
) -> Status[dict[str, Any]]:
    """Ask for a cross-border relocation; an agent evaluates it before anything happens."""
    organisation: Organisation = require_application(request, APPLICATION)
    form = RelocationForm({**payload.dict(), "desired_date": payload.desired_date.isoformat()})
    if not form.is_valid():
        raise _invalid(form)
    with tenant_scope(organisation):
        machine = selectors.get_machine_for(organisation, serial, type)
        relocation = services.relocation_request(
            actor=request.user,  # type: ignore[arg-type]
            machine=machine,
            **{
                k: form.cleaned_data[k]
                for k in ("from_country", "from_address", "to_country", "to_address", "desired_date", "notes")
            },
            http_request=request,
        )
        return Status(201, _relocation(relocation))
