"""Customer pages of Buy Tech: eligibility, catalogue, cart, orders and what follows delivery."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from guichet.accounts.access import application_required
from guichet.accounts.http import CustomerRequest
from guichet.core import listing
from guichet.core.errors import DomainError
from guichet.help.selectors import articles_for

from .. import rules, selectors, services
from ..forms import AddToCartForm, AttestationForm, CancelForm, CatalogueFilterForm, ClaimForm, ReturnForm
from ..models import BuyTechOrder, Product

buytech_required = application_required("buytech")


def help_links() -> list[Any]:
    return articles_for(rules.PROGRAM_COUNTRY, get_language() or "en", category="buytech")


def not_eligible(request: CustomerRequest, gaps: list[str]) -> HttpResponse:
    """What is missing and the program's answers; never the order form."""
    return render(
        request,
        "buytech/not_eligible.html",
        {
            "missing": services.gap_messages(gaps),
            "help_links": help_links(),
            "attestation_form": AttestationForm() if rules.NO_ATTESTATION in gaps else None,
            "may_sign": services.may_sign_attestation(request.user, request.organisation),
            "wording_version": rules.ATTESTATION_VERSION,
            # An organisation that lost its eligibility still follows the orders it placed.
            "orders": list(selectors.orders_of(request.organisation)[:50]),
        },
        status=403,
    )


def eligible_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    def wrapper(request: CustomerRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        gaps = services.gaps_of(request.organisation)
        if gaps:
            return not_eligible(request, gaps)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return buytech_required(wrapper)


def _cart(request: CustomerRequest) -> dict[str, int]:
    """The person's cart in this organisation (the database's: it outlives the session)."""
    return services.cart_of(request.user, request.organisation)


ORDER_LIST = listing.ListSpec(
    "buytech_orders",
    (
        listing.Column("number", _l("Number"), ("sequence",)),
        listing.Column("reserved", _l("Reserved on"), ("reserved_at",)),
        listing.Column("status", _l("Status"), ("status",)),
        listing.Column("target", _l("Processing target"), ("processing_due",)),
    ),
    default="-reserved",
)
SHOWN_ORDERS = 50


def _export_orders(request: CustomerRequest, orders: Iterable[BuyTechOrder]) -> HttpResponseBase:
    header = [_("Number"), _("Reserved on"), _("Status"), _("Total"), _("Currency"), _("Processing target")]
    # Built here, inside the organisation's scope: a streamed generator would query after the view returned.
    rows = [
        [
            view.order.number,
            view.order.reserved_on.isoformat(),  # a CSV cell: ISO dates sort and parse in any spreadsheet
            view.order.get_status_display(),
            view.total,
            view.order.currency,
            view.order.processing_due.isoformat(),
        ]
        for view in (selectors.view_of(order) for order in orders)
    ]
    return listing.csv_export(f"buytech-orders-{request.organisation.customer_number}.csv", header, rows)


@buytech_required
def home(request: CustomerRequest) -> HttpResponseBase:
    gaps = services.gaps_of(request.organisation)
    if gaps:
        return not_eligible(request, gaps)
    if remembered := listing.restore_filters(request, ORDER_LIST):
        return remembered
    listing.save_filters(request, ORDER_LIST)
    sorting = listing.sorting_of(request, ORDER_LIST)
    ordered = sorting.apply(selectors.orders_of(request.organisation))
    if listing.export_of(request) == "csv":
        return _export_orders(request, ordered)
    orders = [selectors.view_of(order) for order in ordered[:SHOWN_ORDERS]]
    return render(
        request,
        "buytech/home.html",
        {
            "orders": orders,
            "cart_count": sum(_cart(request).values()),
            "help_links": help_links(),
            **listing.list_context(request, sorting),
        },
    )


@require_POST
@buytech_required
def attest(request: CustomerRequest) -> HttpResponse:
    form = AttestationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the attestation."))
    else:
        try:
            services.attestation_sign(actor=request.user, organisation=request.organisation, http_request=request)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Thank you: the attestation is signed."))
    return HttpResponseRedirect(reverse("buytech:home"), status=303)


@eligible_required
def catalogue(request: CustomerRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters = selectors.CatalogueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CatalogueFilters(
            kind=data["kind"], condition=data["condition"], query=data["q"], in_stock=data["in_stock"]
        )
    return render(
        request,
        "buytech/catalogue.html",
        {"form": form, "products": selectors.products(filters), "cart_count": sum(_cart(request).values())},
    )


@eligible_required
def cart(request: CustomerRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = AddToCartForm(request.POST)
        product = Product.objects.filter(sku=form.cleaned_data["sku"], active=True).first() if form.is_valid() else None
        if product is not None:
            current = _cart(request)
            quantity = form.cleaned_data["quantity"]
            if request.POST.get("mode") == "add":
                quantity += current.get(product.sku, 0)
            if quantity > product.stock:
                # No quota: the stock is the only limit, so the cart holds what can be reserved.
                quantity = product.stock
                messages.warning(
                    request,
                    _("Only %(stock)s of %(name)s in stock: your cart holds that many.")
                    % {"stock": product.stock, "name": product.name},
                )
            else:
                messages.success(request, _("Cart updated."))
            services.cart_set(user=request.user, organisation=request.organisation, product=product, quantity=quantity)
            return HttpResponseRedirect(reverse("buytech:cart"), status=303)
        messages.error(request, _("Choose a product and a quantity of 0 or more."))
        status = 400
    lines, total = services.cart_lines(request.user, request.organisation)
    rows = [(line.product, line.quantity, line.subtotal) for line in lines]
    return render(request, "buytech/cart.html", {"rows": rows, "total": total}, status=status)


@require_POST
@eligible_required
def checkout(request: CustomerRequest) -> HttpResponse:
    # Prices are those of today: anything that changed since it went into the cart stops the checkout.
    changes = services.cart_recheck(user=request.user, organisation=request.organisation)
    if changes:
        for message in changes.messages():
            messages.warning(request, message)
        messages.warning(request, _("Your cart now shows today's prices. Check it, then reserve again."))
        return HttpResponseRedirect(reverse("buytech:cart"), status=303)
    try:
        order = services.order_reserve(
            actor=request.user, organisation=request.organisation, items=_cart(request), http_request=request
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return HttpResponseRedirect(reverse("buytech:cart"), status=303)
    services.cart_clear(user=request.user, organisation=request.organisation)
    messages.success(
        request,
        _("Order %(number)s is reserved. The payment instructions are on their way by e-mail.")
        % {"number": order.number},
    )
    return HttpResponseRedirect(reverse("buytech:order", kwargs={"number": order.number}), status=303)


def _positions(view: selectors.OrderView, attribute: str) -> list[tuple[int, str]]:
    return [
        (lv.line.position, f"{lv.line.position}. {lv.line.description}") for lv in view.lines if getattr(lv, attribute)
    ]


@buytech_required
def order_detail(request: CustomerRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for(request.organisation, number)
    view = selectors.view_of(order)
    return render(request, "buytech/order.html", _order_context(view))


def _order_context(view: selectors.OrderView, **forms: Any) -> dict[str, Any]:
    order = view.order
    return {
        "view": view,
        "order": order,
        "agreements": [
            (agreement, services.contract_url(agreement.number))
            for agreement in (order.relationship_agreement, order.devices_agreement)
            if agreement is not None
        ],
        "iban": services.PAYMENT_IBAN,
        "beneficiary": services.PAYMENT_BENEFICIARY,
        "vendor_iban": services.VENDOR_IBAN,
        "vendor_beneficiary": services.VENDOR_BENEFICIARY,
        "cancel_form": forms.get("cancel_form") or CancelForm(positions=_positions(view, "may_cancel")),
        "can_cancel": any(lv.may_cancel for lv in view.lines),
        "can_return": any(lv.may_return for lv in view.lines),
        "can_claim": any(lv.may_claim for lv in view.lines),
    }


def _back(number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("buytech:order", kwargs={"number": number}), status=303)


@require_POST
@buytech_required
def order_cancel(request: CustomerRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for(request.organisation, number)
    view = selectors.view_of(order)
    form = CancelForm(request.POST, positions=_positions(view, "may_cancel"))
    if not form.is_valid():
        return render(request, "buytech/order.html", _order_context(view, cancel_form=form), status=400)
    try:
        services.order_cancel(
            actor=request.user, order=order, positions=form.cleaned_data["positions"], http_request=request
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Cancelled. If you had paid, the refund is on its way."))
    return _back(number)


@buytech_required
def order_return(request: CustomerRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for(request.organisation, number)
    view = selectors.view_of(order)
    form = ReturnForm(
        request.POST or None,
        positions=_positions(view, "may_return"),
        initial={"organisation_name": request.organisation.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.return_request(
                actor=request.user,
                order=order,
                positions=form.cleaned_data["positions"],
                reason=form.cleaned_data["reason"],
                organisation_name=form.cleaned_data["organisation_name"],
                http_request=request,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Return %(number)s requested. We will answer by e-mail.") % {"number": item.number}
            )
            return _back(number)
    status = 400 if request.method == "POST" else 200
    return render(request, "buytech/return.html", {"order": order, "form": form}, status=status)


@buytech_required
def order_claim(request: CustomerRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for(request.organisation, number)
    view = selectors.view_of(order)
    claimable = [lv for lv in view.lines if lv.may_claim]
    form = ClaimForm(request.POST or None, positions=_positions(view, "may_claim"))
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.warranty_claim(
                actor=request.user,
                order=order,
                position=form.cleaned_data["position"],
                description=form.cleaned_data["description"],
                remedy=form.cleaned_data["remedy"],
                http_request=request,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Warranty claim %(number)s registered.") % {"number": claim.number})
            return _back(number)
    replacements = [(lv, services.replacement_for(lv.line)) for lv in claimable]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "buytech/claim.html", {"order": order, "form": form, "replacements": replacements}, status=status
    )
