"""What global search finds in orders: an order by its number or by a shipment's tracking number."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import PER_KIND, Answer, Hit, Kind, Lookup, Query, Row, Searcher
from guichet.core.templatetags.locale_ui import when

from .models import Order, Shipment

KIND = Kind("order", _("Orders"), position=40)
FIELDS = {"number": "number", "ordered_on": "ordered_on"}


def _lookups(orders: QuerySet[Order], shipments: QuerySet[Shipment], query: Query, hit: Callable[[Row], Hit]) -> Answer:
    if not query.identifier:
        return []
    # Two index lookups (number; tracking number), not one OR the planner would scan the table for;
    # an order found by both is shown once.
    tracked = shipments.filter(tracking_number=query.identifier).values("order_id")[:PER_KIND]
    return [
        Lookup(orders.filter(number=query.identifier), FIELDS, hit),
        Lookup(orders.filter(pk__in=tracked), FIELDS, hit, new_only=True),
    ]


def _title(row: Row) -> str:
    return str(_("Order of %(day)s") % {"day": when(date.fromisoformat(row["ordered_on"]), "medium")})


def _customer_hit(row: Row) -> Hit:
    return Hit(KIND.key, row["number"], _title(row), reverse("orders:detail", args=[row["number"]]), True)


def _console_hit(row: Row) -> Hit:
    return Hit(KIND.key, row["number"], _title(row), reverse("orders_console:detail", args=[row["number"]]), True)


class OrderSearch:
    kinds = (KIND,)
    application = "orders"
    reads = ("orders",)  # its hits are kept under this data version (core/search.py)

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        orders = Order.objects.filter(organisation=searcher.organisation)
        shipments = Shipment.objects.filter(organisation=searcher.organisation)
        return _lookups(orders, shipments, query, _customer_hit)

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        assert searcher.staff is not None
        orders = Order.objects.filter(served_by(searcher.staff))
        shipments = Shipment.objects.filter(served_by(searcher.staff))
        return _lookups(orders, shipments, query, _console_hit)


provider = OrderSearch()
