"""What global search finds in contracts: a contract by its number (the unique index answers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import Answer, Hit, Kind, Lookup, Query, Row, Searcher

from .models import Contract

KIND = Kind("contract", _("Contracts"), position=20)
FIELDS = {"number": "number", "title": "title"}


def _customer_hit(row: Row) -> Hit:
    return Hit(KIND.key, row["number"], row["title"], reverse("contracts:detail", args=[row["number"]]), True)


def _console_hit(row: Row) -> Hit:
    return Hit(KIND.key, row["number"], row["title"], reverse("contracts_console:detail", args=[row["number"]]), True)


class ContractSearch:
    kinds = (KIND,)
    application = "contracts"
    reads = ("contracts",)  # its hits are kept under this data version (core/search.py)

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        if not query.identifier:
            return []
        contracts = Contract.objects.filter(organisation=searcher.organisation, number=query.identifier)
        return [Lookup(contracts, FIELDS, _customer_hit)]

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        assert searcher.staff is not None
        if not query.identifier:
            return []
        contracts = Contract.objects.filter(served_by(searcher.staff), number=query.identifier)
        return [Lookup(contracts, FIELDS, _console_hit)]


provider = ContractSearch()
