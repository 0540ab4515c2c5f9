"""What global search finds in contracts: a contract by its number (the unique index answers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import Hit, Kind, Query, Searcher

from .models import Contract

KIND = Kind("contract", _("Contracts"), position=20)


class ContractSearch:
    kinds = (KIND,)
    application = "contracts"

    def for_customer(self, query: Query, searcher: Searcher) -> list[Hit]:
        if not query.identifier:
            return []
        contracts = Contract.objects.filter(organisation=searcher.organisation, number=query.identifier)
        return [Hit(KIND.key, c.number, c.title, reverse("contracts:detail", args=[c.number]), True) for c in contracts]

    def for_staff(self, query: Query, searcher: Searcher) -> list[Hit]:
        assert searcher.staff is not None
        if not query.identifier:
            return []
        contracts = Contract.objects.filter(served_by(searcher.staff), number=query.identifier)
        return [
            Hit(KIND.key, c.number, c.title, reverse("contracts_console:detail", args=[c.number]), True)
            for c in contracts
        ]


provider = ContractSearch()
