"""Agents' contracts console: what awaits (counter)signature, terminations to process, renewals due."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from guichet.accounts.access import staff_required
from guichet.accounts.http import PortalRequest
from guichet.core import listing
from guichet.core.calendar import today_for, today_for_staff
from guichet.core.downloads import stored_download
from guichet.core.errors import DomainError
from guichet.core.tenancy import tenant_scope

from .. import rules, selectors, services
from ..forms import DecisionForm, VendorTerminationForm
from ..models import ContractStatus
from .portal import _optional_url

TERMINATION_LIST = listing.ListSpec(
    "contracts_console_terminations",
    (
        listing.Column("contract", _l("Contract"), value=lambda t: t.contract.number),
        listing.Column("customer", _l("Customer"), value=lambda t: t.organisation.name),
        listing.Column("type", _l("Type"), value=lambda t: t.get_kind_display()),
        listing.Column(
            "machines", _l("Machines"), value=lambda t: ", ".join(str(c.machine) for c in t.coverages.all())
        ),
        listing.Column("effective", _l("Effective on"), value=lambda t: t.effective_date),
        listing.Column("status", _l("Status"), value=lambda t: t.get_status_display()),
    ),
    default="effective",
    param="terminations_sort",
)
RENEWAL_LIST = listing.ListSpec(
    "contracts_console_renewals",
    (
        listing.Column("contract", _l("Contract"), value=lambda c: c.number),
        listing.Column("customer", _l("Customer"), value=lambda c: c.organisation.name),
        listing.Column("renewal", _l("Renewal date"), value=lambda c: c.renewal_date),
    ),
    default="renewal",
    param="renewals_sort",
)


@staff_required
def home(request: PortalRequest) -> HttpResponseBase:
    user = request.user
    wanted = request.GET.get("number", "").strip().upper()[:20]
    if wanted:
        # Opening a contract by number: the detail page answers 404 for another country's, like a missing one.
        return HttpResponseRedirect(reverse("contracts_console:detail", kwargs={"number": wanted}))
    today = today_for_staff(user)
    terminations = listing.worklist(request, TERMINATION_LIST, selectors.terminations_to_process(user))
    renewals = listing.worklist(request, RENEWAL_LIST, selectors.renewals_due(user, today))
    if listing.export_of(request, TERMINATION_LIST) == "csv":
        return listing.rows_csv("terminations.csv", TERMINATION_LIST, terminations.rows)
    if listing.export_of(request, RENEWAL_LIST) == "csv":
        return listing.rows_csv("renewals.csv", RENEWAL_LIST, renewals.rows)
    return render(
        request,
        "contracts/console/home.html",
        {
            "awaiting_signature": selectors.awaiting_signature(user),
            "awaiting_countersignature": selectors.awaiting_countersignature(user),
            "terminations": terminations.rows,
            "terminations_list": terminations.context,
            "renewals": renewals.rows,
            "renewals_list": renewals.context,
            "window_days": rules.RENEWAL_WINDOW.days,
            "decision_form": DecisionForm(),
        },
    )


def _back(number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("contracts_console:detail", kwargs={"number": number}), status=303)


@staff_required
def detail(request: PortalRequest, number: str) -> HttpResponse:
    contract = selectors.get_contract_for_staff(request.user, number)
    with tenant_scope(contract.organisation):
        today = today_for(contract.organisation)
        coverages = list(selectors.coverages_of(contract, current_only=True))
        rows = [(c, rules.vendor_hardware_eligibility(c.covered_from, today)) for c in coverages]
        signatures = list(selectors.signatures_of(contract))
        parties = {s.party for s in signatures}
        return render(
            request,
            "contracts/console/detail.html",
            {
                "contract": contract,
                "coverages": selectors.coverages_of(contract),
                "rows": rows,
                "signatures": signatures,
                "awaiting_countersignature": "customer" in parties and "vendor" not in parties,
                # The signing views are another module's: without them the page lacks only these links.
                "countersign_url": _optional_url("contracts_console:countersign", contract.number),
                "signed_document_url": _optional_url("contracts_console:signed_document", contract.number)
                if signatures
                else "",
                "terminations": list(selectors.terminations_of(contract).prefetch_related("coverages__machine")),
                "decision_form": DecisionForm(),
                "vendor_form": VendorTerminationForm(coverage_choices=[(c.pk, str(c.machine)) for c in coverages]),
                "vendor_may_terminate": rules.vendor_may_terminate(
                    contract.kind, active=contract.status == ContractStatus.ACTIVE, covers_machines=bool(coverages)
                ),
            },
        )


@require_POST
@staff_required
def vendor_terminate(request: PortalRequest, number: str) -> HttpResponse:
    contract = selectors.get_contract_for_staff(request.user, number)
    with tenant_scope(contract.organisation):
        choices = [(c.pk, str(c.machine)) for c in selectors.coverages_of(contract, current_only=True)]
        form = VendorTerminationForm(request.POST, coverage_choices=choices)
        if not form.is_valid():
            messages.error(request, _("Choose the machines and give the reason."))
            return _back(number)
        try:
            termination = services.vendor_termination(
                actor=request.user,
                contract=contract,
                coverage_ids=form.cleaned_data["coverages"],
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
                http_request=request,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("Notice given; it takes effect on %(date)s. The customer has been told.")
                % {"date": termination.effective_date.isoformat()},
            )
    return _back(number)


@require_POST
@staff_required
def decide(request: PortalRequest, number: str, pk: int) -> HttpResponse:
    termination = selectors.get_termination_for_staff(request.user, number, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or refuse."))
        return _back(number)
    try:
        services.termination_decide(
            actor=request.user,
            termination=termination,
            accept=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["note"],
            http_request=request,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Decision recorded; the customer has been told."))
    return _back(number)


@staff_required
def notice(request: PortalRequest, number: str, pk: int) -> FileResponse:
    termination = selectors.get_termination_for_staff(request.user, number, pk)
    if not termination.notice_document:
        raise Http404
    return stored_download(
        termination.notice_document.open("rb"), f"{number}-notice-{termination.pk}.pdf", "application/pdf"
    )
