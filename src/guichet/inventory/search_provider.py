"""What global search finds in the inventory: machines by serial (its beginning) or type + serial,
and repairs, transfers and relocations by number.

Serials are stored upper case, so a typed serial is upper-cased and matched as a prefix
(`LIKE 'ABC%'`, an index scan on PostgreSQL with the serial's pattern index). "8286 ABC12",
"8286-ABC12" and "8286-42A ABC12" name one machine exactly.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import PER_KIND, Hit, Kind, Query, Searcher

from .models import Machine, Relocation, RepairRequest, Transfer

MACHINE = Kind("machine", _("Machines"), position=50)
REPAIR = Kind("repair", _("Repairs"), position=12)
TRANSFER = Kind("transfer", _("Machine transfers"), position=14)
RELOCATION = Kind("relocation", _("Relocations"), position=16)
TYPE_AND_SERIAL = re.compile(r"^([A-Z0-9]{4})(?:-[A-Z0-9]{3})?[\s-]+([A-Z0-9]{5,12})$")
MIN_SERIAL_PREFIX = 3  # shorter beginnings match too much to be a search


def _machine_url(machine: Machine) -> str:
    return f"{reverse('inventory:detail', args=[machine.serial])}?{urlencode({'type': machine.machine_type})}"


def _machines(machines: QuerySet[Machine], query: Query) -> list[Hit]:
    typed = TYPE_AND_SERIAL.match(query.text.upper())
    if typed:
        found = machines.filter(machine_type=typed[1], serial=typed[2])
        return [Hit(MACHINE.key, str(m), m.description or str(m), _machine_url(m), True) for m in found]
    serial = query.identifier
    if len(serial) < MIN_SERIAL_PREFIX:
        return []
    found = machines.filter(serial__startswith=serial).order_by("serial", "machine_type")[:PER_KIND]
    return [Hit(MACHINE.key, str(m), m.description or str(m), _machine_url(m), m.serial == serial) for m in found]


class InventorySearch:
    kinds = (REPAIR, TRANSFER, RELOCATION, MACHINE)
    application = "inventory"

    def for_customer(self, query: Query, searcher: Searcher) -> list[Hit]:
        organisation = searcher.organisation
        hits = _machines(Machine.objects.filter(organisation=organisation), query)
        if not query.identifier:
            return hits
        number = query.identifier
        for repair in RepairRequest.objects.filter(organisation=organisation, number=number).select_related("machine"):
            hits.append(
                Hit(REPAIR.key, repair.number, str(repair.machine), reverse("inventory:repair", args=[number]), True)
            )
        for transfer in Transfer.objects.filter(organisation=organisation, number=number).select_related("machine"):
            # The customer follows a transfer on its machine's page.
            hits.append(Hit(TRANSFER.key, transfer.number, str(transfer.machine), _machine_url(transfer.machine), True))
        for move in Relocation.objects.filter(organisation=organisation, number=number).select_related("machine"):
            url = reverse("inventory:relocation", args=[number])
            hits.append(Hit(RELOCATION.key, move.number, str(move.machine), url, True))
        return hits

    def for_staff(self, query: Query, searcher: Searcher) -> list[Hit]:
        assert searcher.staff is not None
        if not query.identifier:
            return []  # the console has no page per machine: agents find cases by number
        served, number = served_by(searcher.staff), query.identifier
        hits = []
        for repair in RepairRequest.objects.filter(served, number=number).select_related("machine"):
            url = reverse("inventory_console:repair", args=[number])
            hits.append(Hit(REPAIR.key, repair.number, str(repair.machine), url, True))
        for transfer in Transfer.objects.filter(served, number=number).select_related("machine"):
            url = reverse("inventory_console:transfer", args=[number])
            hits.append(Hit(TRANSFER.key, transfer.number, str(transfer.machine), url, True))
        for move in Relocation.objects.filter(served, number=number).select_related("machine"):
            url = reverse("inventory_console:relocation", args=[number])
            hits.append(Hit(RELOCATION.key, move.number, str(move.machine), url, True))
        return hits


provider = InventorySearch()
