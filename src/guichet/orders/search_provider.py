"""What global search finds in orders: an order by its number or by a shipment's tracking number."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import PER_KIND, SERVED, Answer, Hit, Kind, Lookup, Query, Row, Searcher, Values, whose
from guichet.core.templatetags.locale_ui import when

from .models import Order, Shipment

KIND = Kind("order", _("Orders"), position=40)
FIELDS = {"number": "number", "ordered_on": "ordered_on"}


def _by_number(values: Values) -> QuerySet[Order]:
    return Order.objects.filter(whose(values), number=values["number"])


def _by_parcel(values: Values) -> QuerySet[Order]:
    tracked = Shipment.objects.filter(whose(values), tracking_number=values["number"]).values("order_id")
    return Order.objects.filter(whose(values), pk__in=tracked[:PER_KIND])


def _lookups(query: Query, hit: Callable[[Row], Hit], values: Values) -> Answer:
    if not query.identifier:
        return []
    # Two index lookups (number; tracking number), not one OR the planner would scan the table for;
    # an order found by both is shown once.
    number = {**values, "number": query.identifier}
    return [Lookup(_by_number, FIELDS, hit, number), Lookup(_by_parcel, FIELDS, hit, number, new_only=True)]


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
        return _lookups(query, _customer_hit, {})

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        assert searcher.staff is not None
        return _lookups(query, _console_hit, {SERVED: served_by(searcher.staff)})


provider = OrderSearch()
