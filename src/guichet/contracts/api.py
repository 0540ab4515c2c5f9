"""Contracts API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from guichet.accounts.api_access import AUTH, require_application
from guichet.accounts.models import Language, User
from guichet.core.api import ErrorOut, Page, PageOut, PageSize, form_limit, paginate
from guichet.core.downloads import download
from guichet.core.errors import DomainError, NotFound
from guichet.core.tenancy import tenant_scope

from . import documents as contract_documents
from . import rules as contract_rules
from . import selectors as contract_selectors
from . import services as contract_services
from . import signing
from .errors import Code
from .forms import ContactFields, ContractFilterForm, HardwareTerminationForm
from .models import Contract, ContractKind, ContractStatus, Termination

router = Router(tags=["contracts"], auth=AUTH)


# --- contracts, copies, terminations, ServicePac (contracts/services.py) ---------------------------
# Same selectors, services and forms as the pages; another organisation's contract is a 404.

APPLICATION = "contracts"
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}


class ServiceOut(Schema):
    description: str
    quantity: int
    amount: Decimal


class CoveredMachineOut(Schema):
    machine_type: str
    model: str
    serial: str
    service_level: str
    covered_from: date
    covered_until: date | None


class TerminationOut(Schema):
    id: int
    kind: str
    status: str
    notice_date: date
    effective_date: date
    machines: list[str]
    request_number: str
    decision_note: str


class ContractSummaryOut(Schema):
    number: str
    kind: str
    kind_label: str
    status: str
    title: str
    start_date: date
    end_date: date | None
    renewal_date: date | None
    currency: str
    amount: Decimal


class ContractPageOut(PageOut):
    items: list[ContractSummaryOut]


class ContractOut(ContractSummaryOut):
    services: list[ServiceOut]
    machines: list[CoveredMachineOut]
    terminations: list[TerminationOut]
    signatures: list[dict[str, Any]]


def _summary(contract: Contract) -> dict[str, Any]:
    return {
        "number": contract.number,
        "kind": contract.kind,
        "kind_label": str(contract.get_kind_display()),
        "status": contract.status,
        "title": contract.title,
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "renewal_date": contract.renewal_date,
        "currency": contract.currency,
        "amount": contract.amount,
    }


def _termination(t: Termination) -> dict[str, Any]:
    return {
        "id": t.pk,
        "kind": t.kind,
        "status": t.status,
        "notice_date": t.notice_date,
        "effective_date": t.effective_date,
        "machines": [f"{c.machine.machine_type}-{c.machine.model} {c.machine.serial}" for c in t.coverages.all()],
        "request_number": t.request_number,
        "decision_note": t.decision_note,
    }


def _contract(contract: Contract) -> dict[str, Any]:
    return {
        **_summary(contract),
        "services": [
            {"description": s.description, "quantity": s.quantity, "amount": s.amount}
            for s in contract.services.all().order_by("pk")
        ],
        "machines": [
            {
                "machine_type": c.machine.machine_type,
                "model": c.machine.model,
                "serial": c.machine.serial,
                "service_level": c.service_level,
                "covered_from": c.covered_from,
                "covered_until": c.covered_until,
            }
            for c in contract_selectors.coverages_of(contract)
        ],
        "terminations": [
            _termination(t) for t in contract_selectors.terminations_of(contract).prefetch_related("coverages__machine")
        ],
        "signatures": [
            {"party": s.party, "signer_name": s.signer_name, "signed_at": s.signed_at.isoformat()}
            for s in contract_selectors.signatures_of(contract)
        ],
    }


@router.get("contracts", response={200: ContractPageOut, **ERRORS})
def list_contracts(
    request: HttpRequest, kind: str = "", status: str = "", q: str = "", page: Page = 1, page_size: PageSize = 25
) -> dict[str, Any]:
    """The organisation's contracts, newest first; `kind`, `status` and `q` (number, title, serial) filter."""
    organisation = require_application(request, APPLICATION)
    filters = ContractFilterForm({"kind": kind, "status": status, "q": q})
    if not filters.is_valid():
        raise DomainError(
            _("Unknown contract type or status."),
            code=Code.INVALID_FILTER,
            details={"kinds": ContractKind.values, "statuses": ContractStatus.values},
        )
    with tenant_scope(organisation):
        data = filters.cleaned_data
        contracts = contract_selectors.contracts_of(
            organisation, kind=data["kind"], status=data["status"], query=data["q"]
        )
        items, count = paginate(contracts, page, page_size)
        return {"items": [_summary(c) for c in items], "count": count}


@router.get("contracts/{number}", response={200: ContractOut, **ERRORS})
def get_contract(request: HttpRequest, number: str) -> dict[str, Any]:
    """One contract with its services, the machines it covers (and since when), terminations and signatures."""
    organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        return _contract(contract_selectors.get_contract_for(organisation, number))


@router.get("contracts/{number}/pdf", response={200: None, **ERRORS})
def contract_pdf(request: HttpRequest, number: str, lang: Language | None = None) -> HttpResponse:
    """A copy of the contract as PDF, in the organisation's language (or `lang`: en, fr, nl, ro)."""
    organisation = require_application(request, APPLICATION)

    with tenant_scope(organisation):
        contract = contract_selectors.get_contract_for(organisation, number)
        data = contract_documents.contract_pdf(contract, lang or None)
    return download(data, f"{contract.number}.pdf", "application/pdf")


@router.get("contracts/{number}/signed.pdf", response={200: None, **ERRORS})
def signed_contract_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The signed contract (countersigned once the vendor has signed), as sealed: PAdES PDF, its SHA-256 in
    `X-Content-SHA256`. 404 (`not_signed`) before anyone has signed; another organisation's contract is a 404."""
    organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        contract = contract_selectors.get_contract_for(organisation, number)
        signature = signing.latest_signature(contract)
    if signature is None:
        raise NotFound(_("This contract has not been signed yet."), code=Code.NOT_SIGNED)
    suffix = "countersigned" if signature.party == "vendor" else "signed"
    with signature.document.open("rb") as document:
        response = HttpResponse(document.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{contract.number}-{suffix}.pdf"'
    response["X-Content-SHA256"] = signature.document_sha256
    return response


class TerminationIn(Schema):
    """`machines`: serial numbers (hardware maintenance).

    `copies_destroyed` is ignored (kept so that older clients still validate): a monthly licence's copies
    are destroyed at the cancellation and confirmed then, on the contract's page, not with the notice.
    """

    machines: list[str] = []
    effective_date: date | None = None
    reason: str = form_limit(HardwareTerminationForm, "reason", "")
    copies_destroyed: bool = False
    lapse_acknowledged: bool = False
    contact_name: str | None = form_limit(ContactFields, "contact_name", None)
    contact_email: str | None = form_limit(ContactFields, "contact_email", None)
    contact_phone: str | None = form_limit(ContactFields, "contact_phone", None)


@router.post("contracts/{number}/terminations", response={201: TerminationOut, **ERRORS})
def create_termination(request: HttpRequest, number: str, payload: TerminationIn) -> Status[dict[str, Any]]:
    """Give notice: per machine for hardware maintenance (≥ 6 months under contract, one month's notice),
    for a monthly licence (≥ 30 days), or not to renew a subscription or program
    agreement (it ends with its term; `lapse_acknowledged`). Prepaid licences and ServicePacs answer
    `no_cancellation_needed`. Refusals carry a stable `code` and, where it helps,
    `details.first_eligible` / `details.earliest_effective`."""
    organisation = require_application(request, APPLICATION)
    user: User = request.user  # type: ignore[assignment]
    contact = contract_services.contact_of(user)
    contact.update(
        {
            key: value
            for key, value in (
                ("name", payload.contact_name),
                ("email", payload.contact_email),
                ("phone", payload.contact_phone),
            )
            if value is not None
        }
    )
    with tenant_scope(organisation):
        contract = contract_selectors.get_contract_for(organisation, number)
        route = contract_rules.termination_route(contract.kind)
        if route == contract_rules.PER_MACHINE:
            wanted = {serial.strip().upper() for serial in payload.machines}
            coverage_ids = [
                c.pk for c in contract_selectors.coverages_of(contract, current_only=True) if c.machine.serial in wanted
            ]
            if len(coverage_ids) != len(wanted):
                coverage_ids.append(0)  # an unknown serial: refused below like any machine not on the contract
            termination = contract_services.hardware_termination_request(
                actor=user,
                contract=contract,
                coverage_ids=coverage_ids,
                contact=contact,
                effective_date=payload.effective_date,
                reason=payload.reason,
                http_request=request,
            )
        elif route == contract_rules.AT_TERM:
            termination = contract_services.end_of_term_request(
                actor=user,
                contract=contract,
                contact=contact,
                lapse_acknowledged=payload.lapse_acknowledged,
                effective_date=payload.effective_date,
                http_request=request,
            )
        else:
            termination = contract_services.licence_termination_request(
                actor=user,
                contract=contract,
                contact=contact,
                effective_date=payload.effective_date,
                http_request=request,
            )
        return Status(201, _termination(termination))


@router.post("contracts/{number}/terminations/{termination_id}/withdraw", response={200: TerminationOut, **ERRORS})
def withdraw_termination(request: HttpRequest, number: str, termination_id: int) -> Status[dict[str, Any]]:
    """Take back a notice the vendor has not processed yet (`not_withdrawable` otherwise); its request is closed."""
    organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        contract = contract_selectors.get_contract_for(organisation, number)
        termination = contract_services.termination_withdraw(
            actor=request.user,  # type: ignore[arg-type]
            termination=contract_selectors.get_termination_for(contract, termination_id),
            http_request=request,
        )
        return Status(200, _termination(termination))


class ActivationIn(Schema):
    code: str
    machine_type: str
    serial: str


class ActivationOut(Schema):
    contract: str
    machine_type: str
    serial: str
    covered_from: date
    contract_end: date | None


@router.post("servicepac/activations", response={201: ActivationOut, **ERRORS})
def activate_servicepac(request: HttpRequest, payload: ActivationIn) -> Status[dict[str, Any]]:
    """Register a ServicePac code on a machine. Errors: `invalid_code_format`, `unknown_code` (also another
    organisation's code), `code_already_used`, `machine_not_found`, `already_covered`."""
    organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        coverage = contract_services.servicepac_activate(
            actor=request.user,  # type: ignore[arg-type]
            organisation=organisation,
            code=payload.code,
            machine_type=payload.machine_type,
            serial=payload.serial,
            http_request=request,
        )
        return Status(
            201,
            {
                "contract": coverage.contract.number,
                "machine_type": coverage.machine.machine_type,
                "serial": coverage.machine.serial,
                "covered_from": coverage.covered_from,
                "contract_end": coverage.contract.end_date,
            },
        )


# --- signing (contracts/signing.py) ----------------------------------------------------------------


class SignIn(Schema):
    """Re-authentication in the same call: the password, plus `otp` when the user has MFA."""

    password: str
    otp: str | None = None
    accept_terms: bool = False


class SignatureOut(Schema):
    contract: str
    contract_status: str
    party: str
    signer_name: str
    organisation_name: str
    signed_at: datetime
    document_sha256: str
    content_sha256: str
    document_url: str


# 429: too many wrong authenticator codes; 503: the portal's seal or its time-stamping authority is down
# (the same request works later).
SIGN_ERRORS: dict[int, type[Schema]] = {**ERRORS, 429: ErrorOut, 503: ErrorOut}


@router.post("contracts/{number}/sign", response={201: SignatureOut, **SIGN_ERRORS})
def sign_contract(request: HttpRequest, number: str, payload: SignIn) -> Status[dict[str, Any]]:
    """Sign a contract awaiting signature, as a signatory: PAdES-sealed PDF with an audit page.

    The password (and the authenticator code, when MFA is on) is checked again
    in this call; `accept_terms` must be true. The signed file is then at
    `document_url` (`GET /api/v1/contracts/{number}/signed.pdf`, with the same token) and its SHA-256
    in `document_sha256`.
    """
    organisation = require_application(request, "contracts")
    user = request.user
    with tenant_scope(organisation):
        contract = contract_selectors.get_contract_for(organisation, number)
        signing.confirm_identity(request, user, password=payload.password, otp=payload.otp)  # type: ignore[arg-type]
        signature = signing.contract_sign(
            actor=user,  # type: ignore[arg-type]
            organisation=organisation,
            contract=contract,
            http_request=request,
            terms_accepted=payload.accept_terms,
        )
        return Status(
            201,
            {
                "contract": contract.number,
                "contract_status": ContractStatus.ACTIVE,
                "party": signature.party,
                "signer_name": signature.signer_name,
                "organisation_name": signature.organisation_name,
                "signed_at": signature.signed_at,
                "document_sha256": signature.document_sha256,
                "content_sha256": signature.content_sha256,
                "document_url": settings.SITE_URL
                + reverse("api-1:signed_contract_pdf", kwargs={"number": contract.number}),
            },
        )
