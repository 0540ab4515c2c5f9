"""Reads on orders. Customers: their organisation's. Agents: their country's. Webhooks: by tracking number."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation, User
from guichet.core.references import MAX_SUGGESTIONS
from guichet.core.tenancy import across_organisations

from . import rules
from .carriers import normalise
from .models import Order, OrderEvent, OrderLine, OrderStatus, Shipment, ShipmentLine

ORDER_NUMBER = re.compile(r"[A-Za-z]{2}-ORD-\d{4}-\d{4,}")


@dataclass(frozen=True)
class OrderFilters:
    status: str = ""  # a status, "open", or "" for all
    date_from: date | None = None
    date_to: date | None = None
    query: str = ""  # order number, purchase-order reference or tracking number


def _filtered(orders: QuerySet[Order], filters: OrderFilters) -> QuerySet[Order]:
    if filters.status == "open":
        orders = orders.filter(status__in=rules.OPEN_ORDER_STATUSES)
    elif filters.status in OrderStatus.values:
        orders = orders.filter(status=filters.status)
    if filters.date_from:
        orders = orders.filter(ordered_on__gte=filters.date_from)
    if filters.date_to:
        orders = orders.filter(ordered_on__lte=filters.date_to)
    query = filters.query.strip()[:60]
    if ORDER_NUMBER.fullmatch(query):  # a whole order number: the unique index, not a scan
        return orders.filter(number=query.upper())
    if query:
        tracked = Shipment._base_manager.filter(tracking_number=normalise(query)).values("order_id")
        orders = orders.filter(Q(number__icontains=query) | Q(purchase_order__icontains=query) | Q(pk__in=tracked))
    return orders


def _count_of(model: type[OrderLine] | type[Shipment]) -> Coalesce:
    # The plain manager: the tenant filter would steer the database to the organisation index
    # (every line of the organisation, per row) instead of the order's; the outer query is scoped.
    rows = model._base_manager.filter(order=OuterRef("pk")).order_by().values("order")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


# Built once: annotating resolves a copy of each (the queryset inside is cloned), so they are never
# changed; building them took a fifth of the list's query-building time on every page.
_COUNTS = {"line_count": _count_of(OrderLine), "shipment_count": _count_of(Shipment)}


def _with_counts(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Lines and parcels per order as subqueries: one query for the page, and no join blow-up."""
    return orders.annotate(**_COUNTS)


def orders_of(organisation: Organisation, filters: OrderFilters | None = None) -> QuerySet[Order]:
    orders = Order.objects.filter(organisation=organisation)
    return _with_counts(_filtered(orders, filters or OrderFilters())).order_by("-ordered_on", "-id")


def order_numbers_of(organisation: Organisation) -> Iterator[str]:
    """The organisation's order numbers, newest first (reference-field suggestions)."""
    yield from (
        Order.objects.filter(organisation=organisation)
        .order_by("-ordered_on", "-id")
        .values_list("number", flat=True)[:MAX_SUGGESTIONS]
    )


def _detail_queryset() -> QuerySet[Order]:
    # Children through the plain manager: they follow an order already found within its
    # organisation, and the tenant filter would steer the database to the organisation's index.
    return Order.objects.select_related("organisation", "placed_by").prefetch_related(
        Prefetch(
            "lines",
            queryset=OrderLine._base_manager.annotate(
                shipped=Sum(
                    "shipment_lines__quantity",
                    filter=Q(shipment_lines__shipment__status__in=rules.ON_THE_WAY),
                    default=0,
                ),
                delivered=Sum(
                    "shipment_lines__quantity",
                    filter=Q(shipment_lines__shipment__status=rules.SHIP_DELIVERED),
                    default=0,
                ),
                in_parcels=Sum(
                    "shipment_lines__quantity",
                    filter=Q(shipment_lines__shipment__status__in=rules.IN_PARCELS),
                    default=0,
                ),
            ),
        ),
        Prefetch(
            "shipments",
            queryset=Shipment._base_manager.prefetch_related(
                Prefetch("lines", queryset=ShipmentLine._base_manager.select_related("order_line"))
            ),
        ),
    )


def get_order_for(organisation: Organisation, number: str) -> Order:
    order = _detail_queryset().filter(organisation=organisation, number=number).first()
    if order is None:
        raise Http404
    return order


def timeline_of(order: Order) -> list[OrderEvent]:
    return list(OrderEvent.objects.filter(organisation=order.organisation, order=order).select_related("shipment"))


# --- agents ----------------------------------------------------------------------------------


def _staff_orders(staff: User) -> QuerySet[Order]:
    return Order.objects.filter(jurisdiction.served_by(staff))


def orders_for_staff(staff: User, filters: OrderFilters | None = None) -> QuerySet[Order]:
    with across_organisations():
        orders = _staff_orders(staff).select_related("organisation")
        return _with_counts(_filtered(orders, filters or OrderFilters())).order_by("-ordered_on", "-id")


def get_order_for_staff(staff: User, number: str) -> Order:
    with across_organisations():
        order = _detail_queryset().filter(pk__in=_staff_orders(staff).filter(number=number).values("pk")).first()
    if order is None:
        raise Http404
    return order


def find_shipment(carrier: str, tracking_number: str) -> Shipment | None:
    """The parcel a carrier reports on; carriers know tracking numbers, not organisations."""
    with across_organisations():
        return (
            Shipment.objects.select_related("order", "order__organisation")
            .filter(carrier=carrier, tracking_number=normalise(tracking_number))
            .first()
        )
