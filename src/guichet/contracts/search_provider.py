"""What global search finds in contracts: a contract by its number (the unique index answers)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import SERVED, Answer, Hit, Kind, Lookup, Query, Row, Searcher, Values, whose

from .models import Contract

KIND = Kind("contract", _("Contracts"), position=20)
FIELDS = {"number": "number", "title": "title"}


def _customer_hit(row: Row) -> Hit:
    return Hit(KIND.key, row["number"], row["title"], reverse("contracts:detail", args=[row["number"]]), True)


def _console_hit(row: Row) -> Hit:
    return Hit(KIND.key, row["number"], row["title"], reverse("contracts_console:detail", args=[row["number"]]), True)


def _by_number(values: Values) -> QuerySet[Contract]:
    return Contract.objects.filter(whose(values), number=values["number"])


class ContractSearch:
    kinds = (KIND,)
    application = "contracts"
    reads = ("contracts",)  # its hits are kept under this data version (core/search.py)

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        if not query.identifier:
            return []
        return [Lookup(_by_number, FIELDS, _customer_hit, {"number": query.identifier})]

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        assert searcher.staff is not None
        if not query.identifier:
            return []
        values = {SERVED: served_by(searcher.staff), "number": query.identifier}
        return [Lookup(_by_number, FIELDS, _console_hit, values)]


provider = ContractSearch()
