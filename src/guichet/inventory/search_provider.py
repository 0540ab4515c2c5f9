"""What global search finds in the inventory: machines by serial (its beginning) or type + serial,
and repairs, transfers and relocations by number.

Serials are stored upper case, so a typed serial is upper-cased and matched as a prefix
(`LIKE 'ABC%'`, an index scan on PostgreSQL with the serial's pattern index). "8286 ABC12",
"8286-ABC12" and "8286-42A ABC12" name one machine exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from guichet.accounts.jurisdiction import served_by
from guichet.core.search import PER_KIND, SERVED, Answer, Hit, Kind, Lookup, Query, Row, Searcher, Values, whose

from .models import Machine, Relocation, RepairRequest, Transfer

MACHINE = Kind("machine", _("Machines"), position=50)
REPAIR = Kind("repair", _("Repairs"), position=12)
TRANSFER = Kind("transfer", _("Machine transfers"), position=14)
RELOCATION = Kind("relocation", _("Relocations"), position=16)
TYPE_AND_SERIAL = re.compile(r"^([A-Z0-9]{4})(?:-[A-Z0-9]{3})?[\s-]+([A-Z0-9]{5,12})$")
MIN_SERIAL_PREFIX = 3  # shorter beginnings match too much to be a search
MACHINE_FIELDS = {"type": "machine_type", "model": "model", "serial": "serial", "description": "description"}
CASE_FIELDS = {
    "number": "number",
    "type": "machine__machine_type",
    "model": "machine__model",
    "serial": "machine__serial",
}


def _name(row: Row) -> str:
    """The machine as `str(machine)` names it: type-model serial."""
    return f"{row['type']}-{row['model']} {row['serial']}"


def _machine_url(serial: str, machine_type: str) -> str:
    return f"{reverse('inventory:detail', args=[serial])}?{urlencode({'type': machine_type})}"


def _by_type_and_serial(values: Values) -> QuerySet[Machine]:
    return Machine.objects.filter(whose(values), machine_type=values["type"], serial=values["serial"])


def _by_serial_beginning(values: Values) -> QuerySet[Machine]:
    return Machine.objects.filter(whose(values), serial__startswith=values["serial"]).order_by("serial", "machine_type")


def _repairs(values: Values) -> QuerySet[RepairRequest]:
    return RepairRequest.objects.filter(whose(values), number=values["number"])


def _transfers(values: Values) -> QuerySet[Transfer]:
    return Transfer.objects.filter(whose(values), number=values["number"])


def _relocations(values: Values) -> QuerySet[Relocation]:
    return Relocation.objects.filter(whose(values), number=values["number"])


def _machines(query: Query) -> Answer:
    typed = TYPE_AND_SERIAL.match(query.text.upper())
    if typed:
        values = {"type": typed[1], "serial": typed[2]}
        return [Lookup(_by_type_and_serial, MACHINE_FIELDS, _machine_hit(None), values)]
    serial = query.identifier
    if len(serial) < MIN_SERIAL_PREFIX:
        return []
    return [Lookup(_by_serial_beginning, MACHINE_FIELDS, _machine_hit(serial), {"serial": serial}, limit=PER_KIND)]


def _machine_hit(typed_serial: str | None) -> Callable[[Row], Hit]:
    """A machine's hit; exact when found by type and serial (None) or by its whole serial."""

    def hit(row: Row) -> Hit:
        exact = typed_serial is None or row["serial"] == typed_serial
        url = _machine_url(row["serial"], row["type"])
        return Hit(MACHINE.key, _name(row), row["description"] or _name(row), url, exact)

    return hit


def _case_hit(kind: Kind, url: Callable[[Row], str]) -> Callable[[Row], Hit]:
    return lambda row: Hit(kind.key, row["number"], _name(row), url(row), True)


def _page(name: str) -> Callable[[Row], str]:
    return lambda row: reverse(name, args=[row["number"]])


def _transfer_page(row: Row) -> str:
    return _machine_url(row["serial"], row["type"])  # the customer follows a transfer on its machine's page


class InventorySearch:
    kinds = (REPAIR, TRANSFER, RELOCATION, MACHINE)
    application = "inventory"
    reads = ("inventory",)  # its hits are kept under this data version (core/search.py)

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        machines = _machines(query)
        if not query.identifier:
            return machines
        number = {"number": query.identifier}
        return [
            *machines,
            Lookup(_repairs, CASE_FIELDS, _case_hit(REPAIR, _page("inventory:repair")), number),
            Lookup(_transfers, CASE_FIELDS, _case_hit(TRANSFER, _transfer_page), number),
            Lookup(_relocations, CASE_FIELDS, _case_hit(RELOCATION, _page("inventory:relocation")), number),
        ]

    def for_staff(self, query: Query, searcher: Searcher) -> Answer:
        assert searcher.staff is not None
        if not query.identifier:
            return []  # the console has no page per machine: agents find cases by number
        values = {SERVED: served_by(searcher.staff), "number": query.identifier}
        return [
            Lookup(_repairs, CASE_FIELDS, _case_hit(REPAIR, _page("inventory_console:repair")), values),
            Lookup(_transfers, CASE_FIELDS, _case_hit(TRANSFER, _page("inventory_console:transfer")), values),
            Lookup(_relocations, CASE_FIELDS, _case_hit(RELOCATION, _page("inventory_console:relocation")), values),
        ]


provider = InventorySearch()
