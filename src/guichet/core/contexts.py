"""How a context declares itself to the portal: its pages, its API, its menu entries.

Every context's AppConfig is a `ContextConfig`. The URLconf, the API and the menus read
these declarations, so adding a context means adding its app to INSTALLED_APPS and
nothing central: no URL list, no router list, no menu list to edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.apps import AppConfig, apps
from django.urls import URLResolver, include, path
from django.utils.functional import Promise
from django.utils.module_loading import import_string, module_has_submodule

from .errors import Code


class ConsoleSection:
    """The console's menu groups, as an agent workspace groups its modules: who the customers
    are, the service they get, what they buy and pay."""

    CUSTOMERS = "customers"
    SERVICE = "service"
    SALES = "sales"
    ORDER = (CUSTOMERS, SERVICE, SALES)


@dataclass(frozen=True)
class ConsoleEntry:
    """One page of the agents' console menu."""

    section: str  # a ConsoleSection value
    url_name: str
    label: Promise
    position: int = 50  # within its section, lower first


class ContextConfig(AppConfig):
    """A bounded context of the portal (requests, contracts, billing, …).

        apps.py modules import this module, not the class: Django picks an app's config among
        the AppConfig classes its apps.py holds, and an imported base class would be one more.

        `url_prefix` mounts the context's `urls` module under /<lang>/<prefix> and its
        `urls_console` module (when it has one) under /<lang>/console/<prefix>; `api_router`
        is added to the HTTP API at /api/v1/; `search_provider` is what it gives the header's global
    search (core/search.py). `applications` maps each application the context
        serves (accounts.Application values) to its landing page's URL name.
    """

    url_prefix: str | None = None  # None: the context has no pages
    has_console: bool = False
    api_router: str | None = None  # dotted path of a ninja Router
    applications: dict[str, str] = {}
    console_entries: tuple[ConsoleEntry, ...] = ()
    search_provider: str | None = None  # dotted path of its core.search.Provider (its search_provider.py)

    def urlpatterns(self) -> list[URLResolver]:
        if self.url_prefix is None:
            return []
        patterns = [path(self.url_prefix, include(f"{self.name}.urls"))]
        if self.has_console:
            patterns.append(path(f"console/{self.url_prefix}", include(f"{self.name}.urls_console")))
        return patterns

    def router(self) -> Any:
        return import_string(self.api_router) if self.api_router else None

    def error_codes(self) -> type[StrEnum] | None:
        """The `Code` enum of the context's errors.py: the codes its errors carry."""
        if not module_has_submodule(self.module, "errors"):
            return None
        codes: type[StrEnum] = import_string(f"{self.name}.errors.Code")
        return codes

    def seed_demo(self) -> int:
        """Called by `guichet seed_demo`: the context's demo data, idempotent; how many rows it made."""
        return 0


def contexts() -> list[ContextConfig]:
    """The installed contexts, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, ContextConfig)]


def application_entry_points() -> dict[str, str]:
    """Each application's landing page (URL name), from the contexts that serve them."""
    return {application: url_name for context in contexts() for application, url_name in context.applications.items()}


def console_entries() -> list[ConsoleEntry]:
    return sorted(
        (entry for context in contexts() for entry in context.console_entries),
        key=lambda entry: (ConsoleSection.ORDER.index(entry.section), entry.position),
    )


def error_codes() -> list[str]:
    """Every code an error may carry, core's and each context's, sorted (the API schema's enum)."""
    enums: list[type[StrEnum]] = [Code]
    enums += [codes for context in contexts() if (codes := context.error_codes()) is not None]
    return sorted({member.value for enum in enums for member in enum})
