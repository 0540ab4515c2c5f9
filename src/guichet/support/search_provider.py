"""What global search finds in requests: a request by its number, or by words of its subject.

Customers search their organisation's requests, agents the requests of the customers they serve.
Words match the subject (a trigram index on PostgreSQL makes each word an index lookup).
"""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import PER_KIND, Hit, Kind, Query, Searcher

from .models import Request

KIND = Kind("request", _("Requests"), position=10)


def _matching(requests: QuerySet[Request], query: Query) -> list[tuple[Request, bool]]:
    found: list[tuple[Request, bool]] = []
    if query.identifier:
        found += [(request, True) for request in requests.filter(number=query.identifier)]
    if query.words:
        by_words = requests.filter(reduce(and_, (Q(subject__icontains=word) for word in query.words)))
        seen = {request.pk for request, _exact in found}
        found += [(r, False) for r in by_words.order_by("-created_at")[:PER_KIND] if r.pk not in seen]
    return found


class RequestSearch:
    kinds = (KIND,)
    application = "requests"

    def for_customer(self, query: Query, searcher: Searcher) -> list[Hit]:
        requests = Request.objects.filter(organisation=searcher.organisation)
        return [
            Hit(KIND.key, r.number, r.subject, reverse("support:detail", args=[r.number]), exact)
            for r, exact in _matching(requests, query)
        ]

    def for_staff(self, query: Query, searcher: Searcher) -> list[Hit]:
        assert searcher.staff is not None
        requests = Request.objects.filter(served_by(searcher.staff))
        return [
            Hit(KIND.key, r.number, r.subject, reverse("support_console:detail", args=[r.number]), exact)
            for r, exact in _matching(requests, query)
        ]


provider = RequestSearch()
