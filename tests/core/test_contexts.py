"""Each context declares its pages, API, applications and console entries in its AppConfig; the
URLconf, the API and the menus are built from those declarations (core/contexts.py)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from guichet.accounts.models import Application
from guichet.config.api import api
from guichet.core.contexts import ConsoleSection, ContextConfig, application_entry_points, console_entries, contexts

CONTEXT_APPS = (
    "accounts",
    "help",
    "support",
    "inventory",
    "contracts",
    "orders",
    "billing",
    "buytech",
    "global_search",
)


def test_every_portal_app_is_a_context_in_installed_order() -> None:
    assert [context.label for context in contexts()] == list(CONTEXT_APPS)
    assert all(isinstance(apps.get_app_config(label), ContextConfig) for label in CONTEXT_APPS)


def test_every_application_has_exactly_one_landing_page_declared() -> None:
    declared = [app for context in contexts() for app in context.applications]
    assert sorted(declared) == sorted(Application.values)
    for application, url_name in application_entry_points().items():
        assert reverse(url_name).startswith("/en/"), application


@pytest.mark.parametrize("context", contexts(), ids=lambda c: c.label)
def test_each_context_is_mounted_under_its_prefix(context: ContextConfig) -> None:
    resolver_prefixes = {str(pattern.pattern) for pattern in context.urlpatterns()}
    assert context.url_prefix in resolver_prefixes
    if context.has_console:
        assert f"console/{context.url_prefix}" in resolver_prefixes


def test_every_context_router_is_in_the_api() -> None:
    routers = {id(router) for _prefix, router in api._routers}
    for context in contexts():
        assert id(context.router()) in routers, context.label


def test_console_entries_resolve_and_are_grouped_in_section_order() -> None:
    entries = console_entries()
    assert len(entries) == 10  # the console home first
    sections = [entry.section for entry in entries]
    assert sections == sorted(sections, key=ConsoleSection.ORDER.index)
    assert all(reverse(entry.url_name).startswith("/en/console/") for entry in entries)
