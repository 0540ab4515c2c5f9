"""Where each application lives, and the agents' console menu."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Each context that serves an application registers its landing URL name here; every
# application has one (tests/accounts/test_access.py checks it).
ENTRY_POINTS = {
    "requests": "support:list",
    "contracts": "contracts:list",
    "orders": "orders:list",
    "invoices": "billing:invoices",
    "statements": "billing:statement",
    "inventory": "inventory:list",
    "buytech": "buytech:home",
}


def application_url(application: str) -> str:
    return reverse(ENTRY_POINTS[application])


# The console's pages grouped as an agent workspace groups its modules (who the customers are,
# the service they get, what they buy and pay), so nine entries fit one menu on a phone and on
# a desktop instead of a row that wraps. Each entry: URL name, label.
CONSOLE_SECTIONS: list[tuple[Promise, list[tuple[str, Promise]]]] = [
    (
        _("Customers"),
        [("console:home", _("Access requests")), ("console:organisations", _("Organisations"))],
    ),
    (
        _("Service"),
        [
            ("support_console:queue", _("Requests")),
            ("contracts_console:home", _("Contracts")),
            ("inventory_console:home", _("Inventory")),
            ("help_console:insights", _("Help centre insights")),
        ],
    ),
    (
        _("Sales"),
        [
            ("orders_console:find", _("Orders")),
            ("buytech_console:home", _("Buy Tech")),
            ("billing_console:home", _("Billing")),
        ],
    ),
]


@dataclass(frozen=True)
class ConsoleEntry:
    label: str
    url: str
    current: str  # the aria-current value: "page" on the entry's own page, "true" further in, "" elsewhere


@dataclass(frozen=True)
class ConsoleSection:
    label: str
    entries: list[ConsoleEntry]


@dataclass(frozen=True)
class ConsoleMenu:
    sections: list[ConsoleSection]
    current: ConsoleEntry | None  # named on the menu's button, so one knows where one is with it closed


def console_menu(path: str) -> ConsoleMenu:
    """The console menu for a page at `path`; the entry whose URL is the longest prefix of it is current.

    The longest prefix, because the access requests' page (/console/) is a prefix of every console page.
    """
    urls = {name: reverse(name) for _label, entries in CONSOLE_SECTIONS for name, _entry in entries}
    current_url = max((url for url in urls.values() if path.startswith(url)), key=len, default=None)

    def state(url: str) -> str:
        return ("page" if path == url else "true") if url == current_url else ""

    sections = [
        ConsoleSection(
            label=str(label),
            entries=[
                ConsoleEntry(label=str(entry), url=urls[name], current=state(urls[name])) for name, entry in entries
            ],
        )
        for label, entries in CONSOLE_SECTIONS
    ]
    current = next((entry for section in sections for entry in section.entries if entry.current), None)
    return ConsoleMenu(sections=sections, current=current)
