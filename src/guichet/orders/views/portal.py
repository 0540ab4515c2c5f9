"""Customer pages of My orders: the list with filters, and an order with its parcels and timeline."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from guichet.accounts.access import application_required
from guichet.accounts.http import CustomerRequest
from guichet.core import listing
from guichet.core.paging import capped_count
from guichet.core.templatetags.locale_ui import when

from .. import chart, selectors
from ..forms import OrderFilterForm
from ..models import Order, OrderEvent, OrderStatus, ShipmentStatus
from ..rows import COLUMNS as ORDER_COLUMNS
from ..rows import order_rows

orders_required = application_required("orders")


ORDER_LIST = listing.ListSpec(
    "orders",
    (
        listing.Column("number", _l("Number"), ("number",)),
        listing.Column("date", _l("Date"), ("ordered_on",)),
        listing.Column("po", _l("Purchase order"), ("purchase_order",)),
        listing.Column("status", _l("Status"), ("status",)),
        listing.Column("lines", _l("Lines"), ("line_count",)),
        listing.Column("parcels", _l("Parcels"), ("shipment_count",)),
    ),
    default="-date",
    filters=("status", "date_from", "date_to", "q"),
)
ORDER_FILTERS = listing.FilterPanel(ORDER_LIST, OrderFilterForm, "orders/list_filters.html")


def _counts(order: Order) -> tuple[int, int]:
    # Annotated by selectors.orders_of (subqueries), not model fields.
    return getattr(order, "line_count", 0), getattr(order, "shipment_count", 0)


def export_orders(orders: Iterable[Order], filename: str) -> StreamingHttpResponse:
    header = [_("Number"), _("Date"), _("Purchase order"), _("Status"), _("Lines"), _("Parcels")]
    rows = ([o.number, o.ordered_on.isoformat(), o.purchase_order, o.get_status_display(), *_counts(o)] for o in orders)
    return listing.csv_export(filename, header, rows)


@orders_required
def order_list(request: CustomerRequest) -> HttpResponseBase:
    if remembered := listing.restore_filters(request, ORDER_LIST):
        return remembered
    form = ORDER_FILTERS(request)
    filters = selectors.OrderFilters()
    if form.valid:
        data = form.data
        filters = selectors.OrderFilters(data["status"], data["date_from"], data["date_to"], data["q"])
        listing.save_filters(request, ORDER_LIST)
    sorting = form.sorting
    orders = sorting.apply(selectors.orders_of(request.organisation, filters))
    if listing.export_of(request) == "csv":
        return export_orders(orders.iterator(chunk_size=500), f"orders-{request.organisation.customer_number}.csv")
    page = sorting.page(request, orders.values_list(*ORDER_COLUMNS, named=True))
    filtered = any(request.GET.get(name) for name in ("status", "date_from", "date_to", "q"))
    return render(
        request,
        "orders/list.html",
        {
            "page": page,
            "rows": order_rows(page),
            "more_than": capped_count(orders),
            "filters_html": form.html,
            "sort": form.sort,
            "filtered": filtered,
        },
        status=400 if form.bound and not form.valid else 200,
    )


def _event_label(event: OrderEvent) -> str:
    at = when(event.at, "medium")  # on the viewer's clock: the customer's organisation's, or the agent's
    if event.kind == "placed":
        what = _("Order placed")
    elif event.kind == "order_status":
        what = _("Order: %(status)s") % {"status": OrderStatus(event.status).label}
    elif event.kind == "shipment_added":
        what = _("Parcel prepared")
    else:
        what = str(ShipmentStatus(event.status).label) if event.status in ShipmentStatus.values else event.status
        if event.location:
            what = f"{what} ({event.location})"
    return f"{what}, {at}"


def order_context(order: Order) -> dict[str, object]:
    """What the order page shows, for customers and agents alike."""
    events = selectors.timeline_of(order)
    shipments = list(order.shipments.all())
    lanes = [("", str(_("Order")))] + [(s.tracking_number, f"{s.carrier_name} {s.tracking_number}") for s in shipments]
    labelled = [(event, _event_label(event)) for event in events]
    drawn = chart.build(
        [
            chart.ChartEvent(event.at, event.shipment.tracking_number if event.shipment else "", event.status, label)
            for event, label in labelled
        ],
        lanes,
        timezone.now(),
    )
    lines = list(order.lines.all())
    return {
        "order": order,
        "lines": lines,
        "shipments": shipments,
        "timeline": labelled,
        "chart": drawn,
        "total": sum((line.amount for line in lines), 0),
    }


@orders_required
def order_detail(request: CustomerRequest, number: str) -> HttpResponse:
    order = selectors.get_order_for(request.organisation, number)
    question = (
        reverse("support:request_new")
        + "?"
        + urlencode(
            {
                "type": "orders",
                "subject": _("Question about order %(number)s") % {"number": order.number},
                "order_number": order.number,
            }
        )
    )
    return render(request, "orders/detail.html", {**order_context(order), "question_url": question})
