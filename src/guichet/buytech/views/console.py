"""The agents' side of Buy Tech: what to confirm, sign, pay, ship, substitute, take back and replace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from guichet.accounts.access import staff_required
from guichet.accounts.http import PortalRequest
from guichet.accounts.models import Organisation
from guichet.core import listing
from guichet.core.errors import DomainError
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.orders.carriers import carriers_for

from .. import rules, selectors, services
from ..errors import Code
from ..forms import (
    DecisionForm,
    DeliveredForm,
    EligibilityForm,
    PartnerImportForm,
    PaymentForm,
    ShipmentForm,
    SubstituteForm,
    VendorCancelForm,
)
from ..models import BuyTechOrder, Eligibility, PartnerImport, Product

MAX_IMPORT_BYTES = 2 * 1024 * 1024


def program_staff(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Belgian agents and administrators: the program is Belgian."""

    def wrapper(request: PortalRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not selectors.may_run_program(request.user):
            return render(request, "403.html", status=403)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return staff_required(wrapper)


# Orders to confirm are (order, state) pairs; the orders past the processing target are orders.
CONFIRM_LIST = listing.ListSpec(
    "buytech_console_to_confirm",
    (
        listing.Column("number", _l("Number"), value=lambda pair: pair[0].number),
        listing.Column("organisation", _l("Organisation"), value=lambda pair: pair[0].organisation.name),
        listing.Column("reserved", _l("Reserved on"), value=lambda pair: pair[0].reserved_on),
        listing.Column("due", _l("Confirm by"), value=lambda pair: pair[0].confirmation_due),
    ),
    default="due",
    param="confirm_sort",
)
PAST_TARGET_LIST = listing.ListSpec(
    "buytech_console_past_target",
    (
        listing.Column("number", _l("Number"), value=lambda order: order.number),
        listing.Column("organisation", _l("Organisation"), value=lambda order: order.organisation.name),
        listing.Column("due", _l("Processing target"), value=lambda order: order.processing_due),
        listing.Column("status", _l("Status"), value=lambda order: order.get_status_display()),
    ),
    default="due",
    param="target_sort",
)


def _remedy(claim: Any) -> str:
    remedy = str(claim.get_remedy_display())
    return f"{remedy}: {claim.replacement.name}" if claim.replacement else remedy


def _order_list(name: str, *extra: listing.Column) -> listing.ListSpec:
    """A board list of orders: number and organisation, then what the agent acts on."""
    return listing.ListSpec(
        f"buytech_console_{name}",
        (
            listing.Column("number", _l("Number"), value=lambda order: order.number),
            listing.Column("organisation", _l("Organisation"), value=lambda order: order.organisation.name),
            listing.Column("reserved", _l("Reserved on"), value=lambda order: order.reserved_on),
            *extra,
        ),
        default="reserved",
        param=f"{name}_sort",
    )


FEE_LIST = _order_list("fee", listing.Column("reference", _l("Reference"), value=lambda order: order.fee_reference))
PAYMENT_LIST = _order_list(
    "payment", listing.Column("reference", _l("Reference"), value=lambda order: order.payment_reference)
)
SHIP_LIST = _order_list("ship")
# The board's other lists: shipments on their way, substitutions, returns and warranty claims.
TRANSIT_LIST = listing.ListSpec(
    "buytech_console_in_transit",
    (
        listing.Column("number", _l("Shipment"), value=lambda shipment: shipment.number),
        listing.Column("order", _l("Order"), value=lambda shipment: shipment.order.number),
        listing.Column("organisation", _l("Organisation"), value=lambda shipment: shipment.organisation.name),
        listing.Column("carrier", _l("Carrier"), value=lambda shipment: shipment.carrier),
        listing.Column("tracking", _l("Tracking number"), value=lambda shipment: shipment.tracking_number),
        listing.Column("dispatched", _l("Dispatched on"), value=lambda shipment: shipment.dispatched_on),
    ),
    default="dispatched",
    param="transit_sort",
)
SUBSTITUTION_LIST = listing.ListSpec(
    "buytech_console_substitutions",
    (
        listing.Column("order", _l("Order"), value=lambda line: line.order.number),
        listing.Column("organisation", _l("Organisation"), value=lambda line: line.organisation.name),
        listing.Column("from", _l("Ordered"), value=lambda line: line.substituted_from),
        listing.Column("to", _l("Substituted by"), value=lambda line: line.description),
    ),
    default="order",
    param="substitutions_sort",
)
RETURN_LIST = listing.ListSpec(
    "buytech_console_returns",
    (
        listing.Column("number", _l("Return"), value=lambda item: item.number),
        listing.Column("order", _l("Order"), value=lambda item: item.order.number),
        listing.Column("organisation", _l("Organisation"), value=lambda item: item.organisation_name),
        listing.Column("status", _l("Status"), value=lambda item: item.get_status_display()),
        listing.Column("requested", _l("Requested on"), value=lambda item: item.created_at),
    ),
    default="requested",
    param="returns_sort",
)
CLAIM_LIST = listing.ListSpec(
    "buytech_console_claims",
    (
        listing.Column("number", _l("Claim"), value=lambda claim: claim.number),
        listing.Column("order", _l("Order"), value=lambda claim: claim.order.number),
        listing.Column("organisation", _l("Organisation"), value=lambda claim: claim.organisation.name),
        listing.Column("item", _l("Item"), value=lambda claim: claim.line.description),
        listing.Column("remedy", _l("Remedy"), value=_remedy),
        listing.Column("opened", _l("Opened on"), value=lambda claim: claim.created_at),
    ),
    default="opened",
    param="claims_sort",
)


@program_staff
def board(request: PortalRequest) -> HttpResponseBase:
    built = selectors.board()
    lists: dict[str, tuple[listing.ListSpec, list[Any]]] = {
        "to_confirm": (CONFIRM_LIST, built.to_confirm),
        "past_target": (PAST_TARGET_LIST, built.past_target),
        "awaiting_fee": (FEE_LIST, built.awaiting_fee),
        "awaiting_payment": (PAYMENT_LIST, built.awaiting_payment),
        "to_ship": (SHIP_LIST, built.to_ship),
        "in_transit": (TRANSIT_LIST, built.in_transit),
        "substitutions": (SUBSTITUTION_LIST, built.substitutions),
        "returns": (RETURN_LIST, built.returns),
        "claims": (CLAIM_LIST, built.claims),
    }
    context: dict[str, Any] = {"board": built, "today": services.clock.today()}
    for name, (spec, rows) in lists.items():
        sorted_rows = listing.worklist(request, spec, rows)
        if listing.export_of(request, spec) == "csv":
            return listing.rows_csv(f"{name.replace('_', '-')}.csv", spec, sorted_rows.rows)
        context[name], context[f"{name}_list"] = sorted_rows.rows, sorted_rows.context
    return render(request, "buytech/console/board.html", context)


def _carriers() -> list[tuple[str, str]]:
    return [(carrier.code, carrier.name) for carrier in carriers_for(rules.PROGRAM_COUNTRY)]


def _forms(view: selectors.OrderView, **given: Any) -> dict[str, Any]:
    unshipped = [
        (lv.line.position, f"{lv.line.position}. {lv.line.description}")
        for lv in view.lines
        if lv.line.status == "active" and not lv.line.shipment_id
    ]
    substitutes = [(p.sku, f"{p.name} ({p.sku}, {p.stock})") for p in Product.objects.filter(active=True, stock__gt=0)]
    return {
        "fee_form": PaymentForm(initial={"amount": view.admin_fees}, auto_id="fee_%s"),
        "payment_form": given.get("payment_form") or PaymentForm(initial={"amount": view.price}),
        "shipment_form": given.get("shipment_form") or ShipmentForm(positions=unshipped, carriers=_carriers()),
        "delivered_form": DeliveredForm(initial={"delivered_on": view.today}),
        "substitute_form": given.get("substitute_form") or SubstituteForm(positions=unshipped, products=substitutes),
        "cancel_form": VendorCancelForm(),
        "decision_form": DecisionForm(),
        "unshipped": unshipped,
        "substitutes": substitutes,
    }


def _render_order(request: PortalRequest, order: BuyTechOrder, status: int = 200, **given: Any) -> HttpResponse:
    view = selectors.view_of(order)
    context = {
        "view": view,
        "order": order,
        "agreements": [
            (a, services.contract_url(a.number)) for a in (order.relationship_agreement, order.devices_agreement) if a
        ],
        **_forms(view, **given),
    }
    return render(request, "buytech/console/order.html", context, status=status)


@program_staff
def order_detail(request: PortalRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for_staff(request.user, number)
    with tenant_scope(order.organisation):
        return _render_order(request, order)


def _back(number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("buytech_console:order", kwargs={"number": number}), status=303)


def _act(request: PortalRequest, number: str, action: Callable[[BuyTechOrder], Any], done: str) -> HttpResponse:
    order = selectors.get_order_for_staff(request.user, number)
    with tenant_scope(order.organisation):
        try:
            action(order)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, done)
    return _back(number)


@require_POST
@program_staff
def fee(request: PortalRequest, number: str) -> HttpResponse:
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the amount received."))
        return _back(number)
    return _act(
        request,
        number,
        lambda order: services.order_record_fee(
            actor=request.user, order=order, amount=form.cleaned_data["amount"], http_request=request
        ),
        _("Administrative fee recorded; the order is forwarded to the vendor."),
    )


@require_POST
@program_staff
def confirm(request: PortalRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        lambda order: services.order_confirm(actor=request.user, order=order, http_request=request),
        _("Order confirmed; the two agreements await the customer's signature."),
    )


@require_POST
@program_staff
def payment(request: PortalRequest, number: str) -> HttpResponse:
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the amount received."))
        return _back(number)
    return _act(
        request,
        number,
        lambda order: services.order_record_payment(
            actor=request.user, order=order, amount=form.cleaned_data["amount"], http_request=request
        ),
        _("Payment recorded."),
    )


@require_POST
@program_staff
def ship(request: PortalRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for_staff(request.user, number)
    with tenant_scope(order.organisation):
        view = selectors.view_of(order)
        form = ShipmentForm(request.POST, positions=_forms(view)["unshipped"], carriers=_carriers())
        if not form.is_valid():
            return _render_order(request, order, status=400, shipment_form=form)
        try:
            services.shipment_create(
                actor=request.user,
                order=order,
                positions=form.cleaned_data["positions"],
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
                dispatched_on=form.cleaned_data["dispatched_on"],
                http_request=request,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
            return _render_order(request, order, status=400, shipment_form=form)
    messages.success(request, _("Shipment recorded; the customer has the tracking link."))
    return _back(number)


@require_POST
@program_staff
def delivered(request: PortalRequest, number: str) -> HttpResponse:
    form = DeliveredForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the delivery date."))
        return _back(number)

    def action(order: BuyTechOrder) -> Any:
        shipment = order.shipments.filter(number=request.POST.get("shipment", "")).first()
        if shipment is None:
            raise DomainError(_("Choose a shipment of this order."), code=Code.INVALID_SHIPMENT)
        return services.shipment_deliver(
            actor=request.user, shipment=shipment, delivered_on=form.cleaned_data["delivered_on"], http_request=request
        )

    return _act(request, number, action, _("Delivery recorded."))


@require_POST
@program_staff
def substitute(request: PortalRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for_staff(request.user, number)
    with tenant_scope(order.organisation):
        forms = _forms(selectors.view_of(order))
        form = SubstituteForm(request.POST, positions=forms["unshipped"], products=forms["substitutes"])
        if not form.is_valid():
            return _render_order(request, order, status=400, substitute_form=form)
        try:
            services.line_substitute(
                actor=request.user,
                order=order,
                position=form.cleaned_data["position"],
                sku=form.cleaned_data["sku"],
                note=form.cleaned_data["note"],
                http_request=request,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
            return _render_order(request, order, status=400, substitute_form=form)
    messages.success(request, _("Item substituted; the customer has been told."))
    return _back(number)


@require_POST
@program_staff
def vendor_cancel(request: PortalRequest, number: str) -> HttpResponse:
    form = VendorCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the cancellation."))
        return _back(number)
    return _act(
        request,
        number,
        lambda order: services.order_vendor_cancel(
            actor=request.user, order=order, reason=form.cleaned_data["reason"], http_request=request
        ),
        _("Order cancelled; the customer has been told."),
    )


@require_POST
@program_staff
def return_decide(request: PortalRequest, number: str) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and write the instructions or the reason."))
        return _back(number)

    def action(order: BuyTechOrder) -> Any:
        item = order.returns.filter(number=request.POST.get("return", "")).first()
        if item is None:
            raise DomainError(_("Choose a return of this order."), code=Code.INVALID_RETURN)
        return services.return_decide(
            actor=request.user,
            item=item,
            accept=form.cleaned_data["decision"] == "accept",
            text=form.cleaned_data["text"],
            http_request=request,
        )

    return _act(request, number, action, _("Decision sent to the customer."))


@require_POST
@program_staff
def return_received(request: PortalRequest, number: str) -> HttpResponse:
    def action(order: BuyTechOrder) -> Any:
        item = order.returns.filter(number=request.POST.get("return", "")).first()
        if item is None:
            raise DomainError(_("Choose a return of this order."), code=Code.INVALID_RETURN)
        return services.return_receive(actor=request.user, item=item, http_request=request)

    return _act(request, number, action, _("Items received; the refund is recorded."))


@require_POST
@program_staff
def claim_resolve(request: PortalRequest, number: str) -> HttpResponse:
    def action(order: BuyTechOrder) -> Any:
        claim = order.claims.filter(number=request.POST.get("claim", "")).first()
        if claim is None:
            raise DomainError(_("Choose a claim of this order."), code=Code.INVALID_CLAIM)
        return services.claim_resolve(actor=request.user, claim=claim, http_request=request)

    return _act(request, number, action, _("Claim resolved."))


# --- eligibility ------------------------------------------------------------------------------------------


@program_staff
def eligibility(request: PortalRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    organisations = Organisation.objects.filter(country=rules.PROGRAM_COUNTRY).order_by("name")
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(customer_number__icontains=query) | Q(partner_id__icontains=query)
        )
    rows = list(organisations[:100])
    with across_organisations():
        verdicts = {e.organisation_id: e for e in Eligibility.objects.filter(organisation__in=rows)}
    return render(
        request,
        "buytech/console/eligibility.html",
        {
            "rows": [
                (o, verdicts.get(o.pk), [g["message"] for g in services.gap_messages(services.gaps_of(o))])
                for o in rows
            ],
            "query": query,
            "form": EligibilityForm(),
            "imports": PartnerImport.objects.all()[:10],
        },
    )


@require_POST
@program_staff
def eligibility_set(request: PortalRequest, customer_number: str) -> HttpResponse:
    organisation = Organisation.objects.filter(customer_number=customer_number, country=rules.PROGRAM_COUNTRY).first()
    if organisation is None:
        raise Http404
    form = EligibilityForm(request.POST)
    if form.is_valid():
        services.eligibility_set(
            actor=request.user,
            organisation=organisation,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            http_request=request,
        )
        messages.success(request, _("Eligibility of %(name)s recorded.") % {"name": organisation.name})
    else:
        messages.error(request, _("Choose a verdict."))
    return HttpResponseRedirect(reverse("buytech_console:eligibility"), status=303)


@program_staff
def partner_import(request: PortalRequest) -> HttpResponse:
    form = PartnerImportForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is too large (2 MB at most)."))
        else:
            try:
                content = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                form.add_error("file", _("The file must be UTF-8 text."))
            else:
                try:
                    record = services.partner_import(actor=request.user, file_name=upload.name or "", content=content)
                except DomainError as error:
                    form.add_error("file", str(error.message))
                    errors = error.details.get("errors", [])
                else:
                    messages.success(
                        request,
                        _("%(rows)s organisations imported (%(eligible)s eligible, %(refused)s refused).")
                        % {"rows": record.rows, "eligible": record.eligible, "refused": record.refused},
                    )
                    return HttpResponseRedirect(reverse("buytech_console:eligibility"), status=303)
    status = 400 if request.method == "POST" else 200
    return render(request, "buytech/console/import.html", {"form": form, "errors": errors}, status=status)
