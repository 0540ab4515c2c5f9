"""What global search finds in Buy Tech: an order by its number (customers: their organisation's;
staff: those who run the Belgian program, as the console's order page decides)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.search import ORGANISATION, Answer, Hit, Kind, Lookup, Query, Row, Searcher, Values, display

from . import selectors
from .models import BuyTechOrder

KIND = Kind("buytech_order", _("Buy Tech orders"), position=45)
FIELDS = {"number": "number", "status": "status"}


def _hit(row: Row, page: str) -> Hit:
    title = display(BuyTechOrder, "status", row["status"])
    return Hit(KIND.key, row["number"], title, reverse(page, args=[row["number"]]), True)


def _customer_hit(row: Row) -> Hit:
    return _hit(row, "buytech:order")


def _console_hit(row: Row) -> Hit:
    return _hit(row, "buytech_console:order")


def _mine(values: Values) -> QuerySet[BuyTechOrder]:
    return BuyTechOrder.objects.filter(organisation=values[ORGANISATION], number=values["number"])


def _any(values: Values) -> QuerySet[BuyTechOrder]:
    return BuyTechOrder.objects.filter(number=values["number"])  # the program's staff see every order


class BuyTechSearch:
    kinds = (KIND,)
    application = "buytech"
    reads = ("buytech",)  # its hits are kept under this data version (core/search.py)

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        if not query.identifier:
            return []
        return [Lookup(_mine, FIELDS, _customer_hit, {"number": query.identifier})]

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        assert searcher.staff is not None
        if not query.identifier or not selectors.may_run_program(searcher.staff):
            return []
        return [Lookup(_any, FIELDS, _console_hit, {"number": query.identifier})]


provider = BuyTechSearch()
