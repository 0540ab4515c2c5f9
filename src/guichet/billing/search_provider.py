"""What global search finds in billing: invoices and credit notes by number, or by their total.

Customers only (the console has no page per invoice): an exact number is the unique index, an
amount the (organisation, total) index, newest first.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.search import PER_KIND, Hit, Kind, Query, Searcher
from guichet.core.templatetags.locale_ui import money

from .models import Invoice

KIND = Kind("invoice", _("Invoices and credit notes"), position=30)


def _hit(invoice: Invoice, exact: bool) -> Hit:
    title = f"{invoice.get_kind_display()} · {money(invoice.total, invoice.currency)}"
    return Hit(KIND.key, invoice.number, title, reverse("billing:invoice", args=[invoice.number]), exact)


class InvoiceSearch:
    kinds = (KIND,)
    application = "invoices"

    def for_customer(self, query: Query, searcher: Searcher) -> list[Hit]:
        invoices = Invoice.objects.filter(organisation=searcher.organisation)
        hits = []
        if query.identifier:
            hits += [_hit(invoice, True) for invoice in invoices.filter(number=query.identifier)]
        if query.amount is not None:
            by_total = invoices.filter(total=query.amount).order_by("-issue_date", "-id")[:PER_KIND]
            hits += [_hit(invoice, False) for invoice in by_total]
        return hits

    def for_staff(self, query: Query, searcher: Searcher) -> list[Hit]:
        return []


provider = InvoiceSearch()
