"""GET /api/v1/search: the header's global search, as JSON."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from guichet.accounts.api_access import AUTH, active_organisation, granted_to_caller
from guichet.core.api import ErrorOut
from guichet.core.search import MAX_QUERY_LENGTH, search

from . import searchers

router = Router(tags=["search"])


SearchText = Annotated[
    str,
    Field(
        max_length=MAX_QUERY_LENGTH,
        description="A number (request, contract, invoice, order, repair…), an amount, a tracking number, "
        "a serial (or its beginning), machine type + serial, or words.",
    ),
]


class SearchItemOut(Schema):
    kind: str = Field(
        description="request, repair, transfer, relocation, contract, invoice, order, buytech_order, machine or article"
    )
    number: str = Field(description="The object's number (a machine: type-model serial; an article: its slug).")
    title: str
    url: str = Field(description="Its page in the portal (agents: in the console), in the request's language.")


class SearchOut(Schema):
    items: list[SearchItemOut]


@router.get(
    "search",
    response={200: SearchOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
    url_name="global_search",
)
def global_search(request: HttpRequest, q: SearchText = "") -> dict[str, object]:
    """What the caller may see that answers `q`: customers in their active organisation (`X-Organisation`)
    and the applications granted to them there; agents across the customers of their country. Another
    organisation's number finds nothing. An empty `q` answers no items."""
    user = request.user
    if getattr(user, "is_vendor_staff", False):
        searcher = searchers.for_staff(user)  # type: ignore[arg-type]
    else:
        organisation = active_organisation(request)
        granted = granted_to_caller(request, organisation)
        searcher = searchers.for_customer(organisation, granted)
    results = search(q, searcher)
    items = [{"kind": h.kind, "number": h.number, "title": h.title, "url": h.url} for h in results.hits]
    return {"items": items}
