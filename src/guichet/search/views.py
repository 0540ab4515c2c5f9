"""The results page: the customer's (/search/) and the agents' (/console/search/).

A number that names exactly one object goes straight to it; `?all=1` shows the list instead
(the results page's own links use it, so going back does not bounce forward again).
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from guichet.accounts.access import customer_required, staff_required
from guichet.accounts.http import CustomerRequest, PortalRequest
from guichet.core.search import MAX_QUERY_LENGTH, Results, Searcher, search

from . import searchers


def _answer(request: PortalRequest, searcher: Searcher, action: str) -> HttpResponse:
    raw = request.GET.get("q", "")
    context = {"q": raw[:MAX_QUERY_LENGTH], "action": action, "max_length": MAX_QUERY_LENGTH}
    if len(raw) > MAX_QUERY_LENGTH:
        error = _("Type at most %(count)d characters: a number, a serial number or a few words.") % {
            "count": MAX_QUERY_LENGTH
        }
        return render(request, "search/results.html", {**context, "error": error}, status=400)
    results: Results = search(raw, searcher)
    jump = results.jump
    if jump is not None and not request.GET.get("all"):
        return HttpResponseRedirect(jump.url)
    return render(request, "search/results.html", {**context, "results": results})


@customer_required
def results(request: CustomerRequest) -> HttpResponse:
    searcher = searchers.for_customer(request.organisation, request.granted_applications)
    return _answer(request, searcher, "search:results")


@staff_required
def console_results(request: PortalRequest) -> HttpResponse:
    return _answer(request, searchers.for_staff(request.user), "search_console:results")
