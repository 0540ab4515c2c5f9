"""The customers' application menu and the agents' console menu, from what each context declares."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.core.contexts import ConsoleSection, application_entry_points, console_entries
from guichet.core.rows import url_for


def application_url(application: str) -> str:
    """The landing page of an application, as the context serving it declares (core/contexts.py)."""
    return url_for(application_entry_points()[application])  # reversed once per language


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
    entries: tuple[ConsoleLink, ...]


@dataclass(frozen=True)
class ConsoleMenu:
    """Hashable: the layout keeps the header printed once per menu (core/layout.py)."""

    sections: tuple[MenuSection, ...]
    current: ConsoleLink | None  # named on the menu's button, so one knows where one is with it closed


@lru_cache(maxsize=32)
def _menu(language: str, prefix: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The menu's sections as (label, ((entry label, url), …)) in one language: built once per language."""
    declared = console_entries()
    return tuple(
        (
            str(SECTION_LABELS[section]),
            tuple((str(entry.label), reverse(entry.url_name)) for entry in declared if entry.section == section),
        )
        for section in ConsoleSection.ORDER
    )


def console_menu(path: str) -> ConsoleMenu:
    """The console menu for a page at `path`; the entry whose URL is the longest prefix of it is current.

    The longest prefix, because the access requests' page (/console/) is a prefix of every console page.
    Its labels and URLs do not change from page to page: reversed and translated once per language,
    and the menu itself built once per language and current entry.
    """
    language, prefix = translation.get_language() or "", get_script_prefix()
    menu = _menu(language, prefix)
    current_url = max((url for _, entries in menu for _, url in entries if path.startswith(url)), key=len, default=None)
    return _console_menu(language, prefix, current_url, path == current_url)


@lru_cache(maxsize=128)
def _console_menu(language: str, prefix: str, current_url: str | None, on_page: bool) -> ConsoleMenu:
    def state(url: str) -> str:
        return ("page" if on_page else "true") if url == current_url else ""

    sections = tuple(
        MenuSection(
            label=label, entries=tuple(ConsoleLink(label=name, url=url, current=state(url)) for name, url in entries)
        )
        for label, entries in _menu(language, prefix)
    )
    current = next((entry for section in sections for entry in section.entries if entry.current), None)
    return ConsoleMenu(sections=sections, current=current)
