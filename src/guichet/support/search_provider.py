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
from guichet.core.search import PER_KIND, SERVED, Answer, Hit, Kind, Lookup, Query, Row, Searcher, Values, whose

from .models import Request

KIND = Kind("request", _("Requests"), position=10)
FIELDS = {"number": "number", "subject": "subject"}


def _by_number(values: Values) -> QuerySet[Request]:
    return Request.objects.filter(whose(values), number=values["number"])


def _by_words(values: Values) -> QuerySet[Request]:
    words = reduce(and_, (Q(subject__icontains=word) for word in values["words"]))
    return Request.objects.filter(whose(values), words).order_by("-created_at")


def _lookups(query: Query, page: str, values: Values) -> Answer:
    def hit(exact: bool) -> Callable[[Row], Hit]:
        return lambda row: Hit(KIND.key, row["number"], row["subject"], reverse(page, args=[row["number"]]), exact)

    lookups = []
    if query.identifier:
        lookups.append(Lookup(_by_number, FIELDS, hit(True), {**values, "number": query.identifier}))
    if query.words:
        words = {**values, "words": query.words}
        lookups.append(Lookup(_by_words, FIELDS, hit(False), words, limit=PER_KIND, new_only=True))
    return lookups


class RequestSearch:
    kinds = (KIND,)
    application = "requests"
    reads = ("support",)  # its hits are kept under this data version (core/search.py)

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        return _lookups(query, "support:detail", {})

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        assert searcher.staff is not None
        return _lookups(query, "support_console:detail", {SERVED: served_by(searcher.staff)})


provider = RequestSearch()
