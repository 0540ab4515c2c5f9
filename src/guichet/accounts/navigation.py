"""The customers' application menu and the agents' console menu, from what each context declares."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.contexts import ConsoleSection, application_entry_points, console_entries


def application_url(application: str) -> str:
    """The landing page of an application, as the context serving it declares (core/contexts.py)."""
    return reverse(application_entry_points()[application])


SECTION_LABELS = {
    ConsoleSection.CUSTOMERS: _("Customers"),
    ConsoleSection.SERVICE: _("Service"),
    ConsoleSection.SALES: _("Sales"),
}


@dataclass(frozen=True)
class ConsoleLink:
    label: str
    url: str
    current: str  # the aria-current value: "page" on the entry's own page, "true" further in, "" elsewhere


@dataclass(frozen=True)
class MenuSection:
    label: str
    entries: list[ConsoleLink]


@dataclass(frozen=True)
class ConsoleMenu:
    sections: list[MenuSection]
    current: ConsoleLink | None  # named on the menu's button, so one knows where one is with it closed


def console_menu(path: str) -> ConsoleMenu:
    """The console menu for a page at `path`; the entry whose URL is the longest prefix of it is current.

    The longest prefix, because the access requests' page (/console/) is a prefix of every console page.
    """
    declared = console_entries()
    urls = {entry.url_name: reverse(entry.url_name) for entry in declared}
    current_url = max((url for url in urls.values() if path.startswith(url)), key=len, default=None)

    def state(url: str) -> str:
        return ("page" if path == url else "true") if url == current_url else ""

    sections = [
        MenuSection(
            label=str(SECTION_LABELS[section]),
            entries=[
                ConsoleLink(label=str(entry.label), url=urls[entry.url_name], current=state(urls[entry.url_name]))
                for entry in declared
                if entry.section == section
            ],
        )
        for section in ConsoleSection.ORDER
    ]
    current = next((entry for section in sections for entry in section.entries if entry.current), None)
    return ConsoleMenu(sections=sections, current=current)
