"""Inventory's share of the home (core/home.py): repairs whose cost estimate waits for the
customer's acceptance, machines on site, and how many nothing covers today.

A repair on a machine that is not covered takes the customer's acceptance of billing in principle
when it is filed; the agent then sends a cost estimate, which the customer accepts or declines on
the repair's page. Until then the repair is in "waiting for you" (no due date: none is promised).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.accounts import jurisdiction
from guichet.accounts.models import User
from guichet.core.home import ITEMS_PER_KIND, AttentionItem, Day, Figure, Queue, Viewer
from guichet.core.tenancy import across_organisations

from . import coverage, rules
from .models import EstimateStatus, Machine, Relocation, RepairRequest, RepairStatus

APPLICATION = "inventory"


class InventoryHome:
    """Machines, and how many nothing covers today."""

    @property
    def reads(self) -> tuple[str, ...]:
        return ("inventory", *coverage.reads())  # the machines, and what covers them

    def attention(self, viewer: Viewer) -> list[AttentionItem]:
        if APPLICATION not in viewer.applications:
            return []
        waiting = (
            RepairRequest.objects.filter(organisation=viewer.organisation, estimate_status=EstimateStatus.PENDING)
            .select_related("machine")
            .order_by("estimate_sent_at", "pk")[:ITEMS_PER_KIND]
        )
        return [
            AttentionItem(
                kind="repair_estimate",
                label=_("Repair waiting for your cost acceptance"),
                number=repair.number,
                title=str(repair.machine),
                due=None,
                url=reverse("inventory:repair", kwargs={"number": repair.number}),
                application=APPLICATION,
            )
            for repair in waiting
        ]

    def figures(self, viewer: Viewer) -> dict[str, list[Figure]]:
        if APPLICATION not in viewer.applications:
            return {}
        # Coverage as inventory.rules.coverage_on decides it: a contract line in force, else a warranty.
        uncovered = Q(warranty_end__isnull=True) | Q(warranty_end__lt=viewer.today)
        for covered in coverage.covered_on(viewer.organisation, viewer.today):
            uncovered &= ~Q(pk__in=covered)
        counts = Machine.objects.filter(organisation=viewer.organisation, departed_on__isnull=True).aggregate(
            machines=Count("pk"), uncovered=Count("pk", filter=uncovered)
        )
        machines, not_covered = counts["machines"], counts["uncovered"]
        url = reverse("inventory:list")
        return {
            APPLICATION: [
                Figure(label=ngettext("machine", "machines", machines), value=str(machines), url=url),
                Figure(
                    label=_("not covered"),
                    value=str(not_covered),
                    url=url + "?coverage=none",
                    warn=not_covered > 0,
                ),
            ]
        }


class InventoryConsole:
    """Inventory's work waiting on the vendor in the agent's jurisdiction."""

    reads = ("inventory",)

    def figures(self, staff: User) -> list[Figure]:
        with across_organisations():
            # A repair whose estimate waits for the customer cannot be dispatched yet: not counted.
            repairs = (
                RepairRequest.objects.filter(jurisdiction.served_by(staff), status=RepairStatus.SUBMITTED)
                .exclude(estimate_status=EstimateStatus.PENDING)
                .count()
            )
            relocations = Relocation.objects.filter(
                jurisdiction.served_by(staff), status__in=rules.RELOCATION_OPEN
            ).count()
        url = reverse("inventory_console:home")
        return [
            Figure(label=_("repairs to dispatch"), value=str(repairs), url=url),
            Figure(label=_("relocations to handle"), value=str(relocations), url=url),
        ]

    def queues(self, staff: User) -> list[Queue]:
        return []

    def days(self, staff: User, today: date) -> list[Day]:
        return []
