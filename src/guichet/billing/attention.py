"""Billing's answer for the home (core/home.py): overdue invoices (count and total), the open balance."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F, Min, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.accounts import jurisdiction
from guichet.accounts.models import User
from guichet.core.home import AttentionItem, Day, Figure, Queue, Viewer
from guichet.core.money import ZERO, currency_for_country
from guichet.core.templatetags.locale_ui import money
from guichet.core.tenancy import across_organisations

from . import rules
from .models import Dispute, Invoice, Kind

INVOICES = "invoices"
STATEMENTS = "statements"


class BillingHome:
    """Overdue invoices (one item: count and total), the open balance."""

    reads = ("billing",)  # invoices, and the payments that settle them

    def _unpaid(self, viewer: Viewer) -> dict[str, Any]:
        """The open balance and the overdue invoices (count, total, oldest due date): one pass over the
        organisation's unpaid invoices, shared by the attention item and the figures of one home."""
        if "billing" not in viewer.memo:
            late = Q(due_date__lt=viewer.today) & ~Q(status=rules.DISPUTED)
            viewer.memo["billing"] = Invoice.objects.filter(
                organisation=viewer.organisation,
                kind=Kind.INVOICE,
                status__in=rules.UNPAID_STATUSES,
                settled__lt=F("total"),
            ).aggregate(
                balance=Sum(F("total") - F("settled")),
                count=Count("pk", filter=late),
                late_balance=Sum(F("total") - F("settled"), filter=late),
                oldest=Min("due_date", filter=late),
            )
        return viewer.memo["billing"]

    def attention(self, viewer: Viewer) -> list[AttentionItem]:
        if INVOICES not in viewer.applications:
            return []
        unpaid = self._unpaid(viewer)
        late = {"count": unpaid["count"], "balance": unpaid["late_balance"], "oldest": unpaid["oldest"]}
        if not late["count"]:
            return []
        currency = currency_for_country(viewer.organisation.country)
        count = late["count"]
        return [
            AttentionItem(
                kind="invoices_overdue",
                label=_("Overdue invoices"),
                number="",
                title=ngettext(
                    "%(count)d overdue invoice, %(total)s to pay",
                    "%(count)d overdue invoices, %(total)s to pay",
                    count,
                )
                % {"count": count, "total": money(late["balance"] or ZERO, currency)},
                due=late["oldest"],  # the oldest due date among them
                url=reverse("billing:invoices") + "?status=" + rules.OVERDUE,
                application=INVOICES,
            )
        ]

    def figures(self, viewer: Viewer) -> dict[str, list[Figure]]:
        wanted = {INVOICES, STATEMENTS} & viewer.applications
        if not wanted:
            return {}
        balance = self._unpaid(viewer)["balance"] or ZERO
        shown = money(balance, currency_for_country(viewer.organisation.country))
        figures: dict[str, list[Figure]] = {}
        if INVOICES in wanted:
            figures[INVOICES] = [
                Figure(label=_("open balance"), value=shown, url=reverse("billing:invoices") + "?status=unpaid")
            ]
        if STATEMENTS in wanted:
            figures[STATEMENTS] = [Figure(label=_("open balance"), value=shown, url=reverse("billing:statement"))]
        return figures


class BillingConsole:
    reads = ("billing",)

    def figures(self, staff: User) -> list[Figure]:
        with across_organisations():
            disputes = Dispute.objects.filter(jurisdiction.served_by(staff), state=Dispute.State.OPEN).count()
        return [Figure(label=_("open disputes"), value=str(disputes), url=reverse("billing_console:home"))]

    def queues(self, staff: User) -> list[Queue]:
        return []

    def days(self, staff: User, today: date) -> list[Day]:
        return []
