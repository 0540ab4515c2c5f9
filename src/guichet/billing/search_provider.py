"""What global search finds in billing: invoices and credit notes by number, or by their total.

Customers only (the console has no page per invoice): an exact number is the unique index, an
amount the (organisation, total) index, newest first.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.search import PER_KIND, Answer, Hit, Kind, Lookup, Query, Row, Searcher, display
from guichet.core.templatetags.locale_ui import money

from .models import Invoice

KIND = Kind("invoice", _("Invoices and credit notes"), position=30)
FIELDS = {"number": "number", "kind": "kind", "total": "total", "currency": "currency"}


def _hit(row: Row, exact: bool) -> Hit:
    title = f"{display(Invoice, 'kind', row['kind'])} · {money(Decimal(row['total']), row['currency'])}"
    return Hit(KIND.key, row["number"], title, reverse("billing:invoice", args=[row["number"]]), exact)


def _exact(row: Row) -> Hit:
    return _hit(row, True)


def _by_total(row: Row) -> Hit:
    return _hit(row, False)


class InvoiceSearch:
    kinds = (KIND,)
    application = "invoices"
    reads = ("billing",)  # its hits are kept under this data version (core/search.py)

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        invoices = Invoice.objects.filter(organisation=searcher.organisation)
        lookups = []
        if query.identifier:
            lookups.append(Lookup(invoices.filter(number=query.identifier), FIELDS, _exact))
        if query.amount is not None:
            by_total = invoices.filter(total=query.amount).order_by("-issue_date", "-id")
            lookups.append(Lookup(by_total, FIELDS, _by_total, limit=PER_KIND))
        return lookups

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        return []


provider = InvoiceSearch()
