"""What global search finds in billing: invoices and credit notes by number, or by their total.

Customers only (the console has no page per invoice): an exact number is the unique index, an
amount the (organisation, total) index, newest first.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.search import ORGANISATION, PER_KIND, Answer, Hit, Kind, Lookup, Query, Row, Searcher, Values, display
from guichet.core.templatetags.locale_ui import money

from .models import Invoice

KIND = Kind("invoice", _("Invoices and credit notes"), position=30)
FIELDS = {"number": "number", "kind": "kind", "total": "total", "currency": "currency"}


def _hit(row: Row, exact: bool) -> Hit:
    title = f"{display(Invoice, 'kind', row['kind'])} · {money(Decimal(row['total']), row['currency'])}"
    return Hit(KIND.key, row["number"], title, reverse("billing:invoice", args=[row["number"]]), exact)


def _exact(row: Row) -> Hit:
    return _hit(row, True)


def _found_by_total(row: Row) -> Hit:
    return _hit(row, False)


def _by_number(values: Values) -> QuerySet[Invoice]:
    return Invoice.objects.filter(organisation=values[ORGANISATION], number=values["number"])


def _by_total(values: Values) -> QuerySet[Invoice]:
    return Invoice.objects.filter(organisation=values[ORGANISATION], total=values["total"]).order_by(
        "-issue_date", "-id"
    )


class InvoiceSearch:
    kinds = (KIND,)
    application = "invoices"
    reads = ("billing",)  # its hits are kept under this data version (core/search.py)

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        lookups = []
        if query.identifier:
            lookups.append(Lookup(_by_number, FIELDS, _exact, {"number": query.identifier}))
        if query.amount is not None:
            lookups.append(Lookup(_by_total, FIELDS, _found_by_total, {"total": query.amount}, limit=PER_KIND))
        return lookups

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        return []


provider = InvoiceSearch()
