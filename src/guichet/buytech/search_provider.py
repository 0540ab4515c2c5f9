"""What global search finds in Buy Tech: an order by its number (customers: their organisation's;
staff: those who run the Belgian program, as the console's order page decides)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.search import Hit, Kind, Query, Searcher

from . import selectors
from .models import BuyTechOrder

KIND = Kind("buytech_order", _("Buy Tech orders"), position=45)


def _title(order: BuyTechOrder) -> str:
    return str(order.get_status_display())


class BuyTechSearch:
    kinds = (KIND,)
    application = "buytech"

    def for_customer(self, query: Query, searcher: Searcher) -> list[Hit]:
        if not query.identifier:
            return []
        orders = BuyTechOrder.objects.filter(organisation=searcher.organisation, number=query.identifier)
        return [Hit(KIND.key, o.number, _title(o), reverse("buytech:order", args=[o.number]), True) for o in orders]

    def for_staff(self, query: Query, searcher: Searcher) -> list[Hit]:
        assert searcher.staff is not None
        if not query.identifier or not selectors.may_run_program(searcher.staff):
            return []
        orders = BuyTechOrder.objects.filter(number=query.identifier)
        return [
            Hit(KIND.key, o.number, _title(o), reverse("buytech_console:order", args=[o.number]), True) for o in orders
        ]


provider = BuyTechSearch()
