"""Inventory's figures for the home (core/home.py): machines on site, and how many nothing covers today.

Inventory puts nothing in the "waiting for you" list: a repair on a machine that is not covered
takes the customer's acceptance of the cost when it is filed (the database refuses one without
it), so no repair ever waits for that acceptance afterwards.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.accounts import jurisdiction
from guichet.accounts.models import User
from guichet.core.home import AttentionItem, Day, Figure, Queue, Viewer
from guichet.core.tenancy import across_organisations

from . import coverage, rules
from .models import Machine, Relocation, RepairRequest, RepairStatus

APPLICATION = "inventory"


class InventoryHome:
    """Machines, and how many nothing covers today."""

    def attention(self, viewer: Viewer) -> list[AttentionItem]:
        return []

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

    def figures(self, staff: User) -> list[Figure]:
        with across_organisations():
            repairs = RepairRequest.objects.filter(jurisdiction.served_by(staff), status=RepairStatus.SUBMITTED).count()
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
