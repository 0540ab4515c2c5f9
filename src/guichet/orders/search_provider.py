"""What global search finds in orders: an order by its number or by a shipment's tracking number."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import PER_KIND, Hit, Kind, Query, Searcher
from guichet.core.templatetags.locale_ui import when

from .models import Order, Shipment

KIND = Kind("order", _("Orders"), position=40)


def _matching(orders: QuerySet[Order], shipments: QuerySet[Shipment], query: Query) -> list[Order]:
    if not query.identifier:
        return []
    # Two index lookups (number; tracking number), not one OR the planner would scan the table for.
    found = list(orders.filter(number=query.identifier))
    tracked = list(shipments.filter(tracking_number=query.identifier).values_list("order_id", flat=True)[:PER_KIND])
    if tracked:
        found += list(orders.filter(pk__in=tracked).exclude(pk__in=[o.pk for o in found]))
    return found


def _title(order: Order) -> str:
    return str(_("Order of %(day)s") % {"day": when(order.ordered_on, "medium")})


class OrderSearch:
    kinds = (KIND,)
    application = "orders"

    def for_customer(self, query: Query, searcher: Searcher) -> list[Hit]:
        orders = Order.objects.filter(organisation=searcher.organisation)
        shipments = Shipment.objects.filter(organisation=searcher.organisation)
        return [
            Hit(KIND.key, o.number, _title(o), reverse("orders:detail", args=[o.number]), True)
            for o in _matching(orders, shipments, query)
        ]

    def for_staff(self, query: Query, searcher: Searcher) -> list[Hit]:
        assert searcher.staff is not None
        orders = Order.objects.filter(served_by(searcher.staff))
        shipments = Shipment.objects.filter(served_by(searcher.staff))
        return [
            Hit(KIND.key, o.number, _title(o), reverse("orders_console:detail", args=[o.number]), True)
            for o in _matching(orders, shipments, query)
        ]


provider = OrderSearch()
