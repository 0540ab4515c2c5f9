"""What global search finds in requests: a request by its number, or by words of its subject.

Customers search their organisation's requests, agents the requests of the customers they serve.
Words match the subject (a trigram index on PostgreSQL makes each word an index lookup).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from operator import and_

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import PER_KIND, Answer, Hit, Kind, Lookup, Query, Row, Searcher

from .models import Request

KIND = Kind("request", _("Requests"), position=10)
FIELDS = {"number": "number", "subject": "subject"}


def _lookups(requests: QuerySet[Request], query: Query, page: str) -> Answer:
    def hit(exact: bool) -> Callable[[Row], Hit]:
        return lambda row: Hit(KIND.key, row["number"], row["subject"], reverse(page, args=[row["number"]]), exact)

    lookups = []
    if query.identifier:
        lookups.append(Lookup(requests.filter(number=query.identifier), FIELDS, hit(True)))
    if query.words:
        by_words = requests.filter(reduce(and_, (Q(subject__icontains=word) for word in query.words)))
        lookups.append(Lookup(by_words.order_by("-created_at"), FIELDS, hit(False), limit=PER_KIND, new_only=True))
    return lookups


class RequestSearch:
    kinds = (KIND,)
    application = "requests"
    reads = ("support",)  # its hits are kept under this data version (core/search.py)

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        return _lookups(Request.objects.filter(organisation=searcher.organisation), query, "support:detail")

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        assert searcher.staff is not None
        return _lookups(Request.objects.filter(served_by(searcher.staff)), query, "support_console:detail")


provider = RequestSearch()
