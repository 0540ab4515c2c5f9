"""Agents' order pages: find an order of their country, add a parcel, post a parcel's status."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from guichet.accounts.access import staff_required
from guichet.accounts.http import PortalRequest
from guichet.core import listing
from guichet.core.errors import DomainError
from guichet.core.pagination import page_of
from guichet.core.tenancy import tenant_scope

from .. import selectors, services
from ..forms import ConsoleSearchForm, ShipmentForm, ShipmentStatusForm
from ..models import Order
from .portal import order_context

CONSOLE_ORDER_LIST = listing.ListSpec(
    "orders_console",
    (
        listing.Column("number", _l("Number"), ("number",)),
        listing.Column("organisation", _l("Organisation"), ("organisation__name",)),
        listing.Column("date", _l("Date"), ("ordered_on",)),
        listing.Column("po", _l("Purchase order"), ("purchase_order",)),
        listing.Column("status", _l("Status"), ("status",)),
        listing.Column("parcels", _l("Parcels"), ("shipment_count",)),
    ),
    default="-date",
    filters=("status", "q"),
)


@staff_required
def find(request: PortalRequest) -> HttpResponseBase:
    if remembered := listing.restore_filters(request, CONSOLE_ORDER_LIST):
        return remembered
    form = ConsoleSearchForm(request.GET or None)
    filters = selectors.OrderFilters()
    if form.is_valid():
        filters = selectors.OrderFilters(status=form.cleaned_data["status"], query=form.cleaned_data["q"])
        listing.save_filters(request, CONSOLE_ORDER_LIST)
    sorting = listing.sorting_of(request, CONSOLE_ORDER_LIST)
    orders = sorting.apply(selectors.orders_for_staff(request.user, filters))
    if listing.export_of(request) == "csv":
        header = [
            _("Number"),
            _("Customer number"),
            _("Organisation"),
            _("Date"),
            _("Purchase order"),
            _("Status"),
            _("Parcels"),
        ]
        rows = (
            [
                o.number,
                o.organisation.customer_number,
                o.organisation.name,
                o.ordered_on.isoformat(),
                o.purchase_order,
                o.get_status_display(),
                o.shipment_count,
            ]
            for o in orders.iterator(chunk_size=500)
        )
        return listing.csv_export("orders.csv", header, rows)
    page = page_of(request, "orders_console", orders)
    return render(
        request, "orders/console/find.html", {"page": page, "form": form, **listing.list_context(request, sorting)}
    )


def _render_detail(
    request: PortalRequest,
    order: Order,
    shipment_form: ShipmentForm | None = None,
    status_form: ShipmentStatusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    with tenant_scope(order.organisation):
        context = {
            **order_context(order),
            "shipment_form": shipment_form or ShipmentForm(order=order),
            "status_form": status_form or ShipmentStatusForm(order=order),
        }
        return render(request, "orders/console/detail.html", context, status=status)


@staff_required
def detail(request: PortalRequest, number: str) -> HttpResponse:
    return _render_detail(request, selectors.get_order_for_staff(request.user, number))


def _back(number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("orders_console:detail", kwargs={"number": number}), status=303)


@require_POST
@staff_required
def add_shipment(request: PortalRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for_staff(request.user, number)
    with tenant_scope(order.organisation):
        form = ShipmentForm(request.POST, order=order)
        if form.is_valid():
            try:
                shipment = services.shipment_add(
                    actor=request.user,
                    order=order,
                    carrier=form.cleaned_data["carrier"],
                    tracking_number=form.cleaned_data["tracking_number"],
                    quantities=form.quantities(),
                    http_request=request,
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Parcel %(number)s added.") % {"number": shipment.tracking_number})
                return _back(number)
    return _render_detail(request, order, shipment_form=form, status=400)


@require_POST
@staff_required
def post_status(request: PortalRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for_staff(request.user, number)
    with tenant_scope(order.organisation):
        form = ShipmentStatusForm(request.POST, order=order)
        if form.is_valid():
            shipment = next(s for s in order.shipments.all() if s.tracking_number == form.cleaned_data["shipment"])
            try:
                outcome = services.shipment_record_event(
                    actor=request.user,
                    shipment=shipment,
                    event_id=f"console:{uuid.uuid4()}",
                    status=form.cleaned_data["status"],
                    occurred_at=timezone.now(),
                    location=form.cleaned_data["location"],
                    source="console",
                    http_request=request,
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                if outcome.applied:
                    messages.success(request, _("Status recorded; the customer is told by e-mail."))
                else:
                    messages.warning(request, _("Recorded, but this status does not follow the parcel's current one."))
                return _back(number)
    return _render_detail(request, order, status_form=form, status=400)
