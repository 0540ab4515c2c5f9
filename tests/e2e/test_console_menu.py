"""The agents' "Console" menu in a real browser, on a desktop and on a phone: one button, grouped entries,
the current page marked, operable with the keyboard alone, and no axe-core violation open or closed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.accounts.factories import make_agent

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENTRIES = [
    "Console home",
    "Access requests",
    "Organisations",
    "Requests",
    "Contracts",
    "Inventory",
    "Help centre insights",
    "Orders",
    "Buy Tech",
    "Billing",
]


def signed_in(new_context: Any, live_server: Any, user: Any, *, phone: bool) -> Any:
    client = Client()
    client.force_login(user)
    context = new_context(phone=phone)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def focused_text(page: Any) -> str:
    return str(page.evaluate("document.activeElement.textContent")).strip()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_console_menu_by_keyboard(new_context, live_server, axe_check, phone: bool) -> None:  # type: ignore[no-untyped-def]
    agent = make_agent("BE", email=f"agent.menu.{int(phone)}@example.com")
    page = signed_in(new_context, live_server, agent, phone=phone)
    page.goto("/en/console/requests/")
    toggle = page.locator("#console-menu-toggle")
    items = page.locator("[data-testid=console-menu] .dropdown-item")
    assert items.all_inner_texts() == ENTRIES
    assert page.locator("[data-testid=console-menu] .dropdown-header").all_inner_texts() == [
        "Customers",
        "Service",
        "Sales",
    ]
    current = page.locator("[data-testid=console-menu] [aria-current]")
    expect(current).to_have_count(1)
    assert current.inner_text() == "Requests"
    assert current.get_attribute("aria-current") == "page"
    assert toggle.inner_text().strip() == "Console · Requests"
    axe_check(page)

    if phone:  # the navigation is collapsed behind the menu button
        menu_button = page.locator(".navbar-toggler")
        assert menu_button.is_visible() and not toggle.is_visible()
        menu_button.focus()
        page.keyboard.press("Enter")
        toggle.wait_for(state="visible")
    else:
        # One row: the console button and the account menu share the navigation bar's single line.
        assert page.locator("nav.navbar").bounding_box()["height"] < 80

    # Keyboard only: open, walk the entries with the arrows, close with Escape and come back to the button.
    toggle.focus()
    page.keyboard.press("Enter")
    menu = page.locator("[data-testid=console-menu] .dropdown-menu")
    menu.wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert focused_text(page) == "Console home"
    axe_check(page)
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "console-menu-toggle"

    # To Buy Tech with the arrows and Enter; the menu then marks Buy Tech.
    page.keyboard.press("Enter")
    menu.wait_for(state="visible")
    for _step in range(ENTRIES.index("Buy Tech") + 1):
        page.keyboard.press("ArrowDown")
    assert focused_text(page) == "Buy Tech"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/en/console/buytech/")
    current = page.locator("[data-testid=console-menu] [aria-current=page]")
    expect(current).to_have_count(1)
    assert current.inner_text() == "Buy Tech"
    assert toggle.inner_text().strip() == "Console · Buy Tech"
    axe_check(page)
