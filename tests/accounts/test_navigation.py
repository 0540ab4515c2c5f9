"""The menus: agents get one grouped, marked "Console" menu; customers keep one link per granted application."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from guichet.accounts.navigation import console_menu
from guichet.core.contexts import console_entries

pytestmark = pytest.mark.django_db

CONSOLE_URLS = [reverse(entry.url_name) for entry in console_entries()]


def header(client, path: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(path).content.decode()
    return page[page.index("<header") : page.index("</header>")]


def test_agent_menu_is_one_console_dropdown_with_every_console_page(client, agent_be) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_be)
    html = header(client, reverse("support_console:queue"))
    assert html.count('data-bs-toggle="dropdown"') == 2  # the console and the account menus
    assert 'id="console-menu-toggle"' in html and 'aria-expanded="false"' in html
    links = re.findall(r'<a class="dropdown-item[^"]*" (?:aria-current="\w+" )?href="([^"]+)"', html)
    assert links[: len(CONSOLE_URLS)] == CONSOLE_URLS and len(CONSOLE_URLS) == 10
    assert html.count('class="nav-link') == 1  # the menu's button: no row of links any more
    assert [s.label for s in console_menu("/").sections] == ["Customers", "Service", "Sales"]
    assert "/admin/" not in html


def test_current_console_page_is_marked_on_its_entry_and_named_on_the_button(client, agent_be) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_be)
    queue = reverse("support_console:queue")
    html = header(client, queue)
    assert f'<a class="dropdown-item active" aria-current="page" href="{queue}">Requests</a>' in html
    assert html.count("aria-current=") == 1
    assert re.search(
        r'class="nav-link dropdown-toggle active"[^>]*>Console<span class="fw-normal"> · Requests</span>', html
    )
    # The console home (/console/) is a prefix of every console URL: only its own page marks it.
    home = reverse("console:home")
    assert f'aria-current="page" href="{home}">Console home</a>' in header(client, home)
    assert f'aria-current="page" href="{home}"' not in html


def test_a_page_inside_a_section_marks_its_entry_as_the_current_location() -> None:
    organisations = reverse("console:organisations")
    menu = console_menu(reverse("console:organisation", args=["BE-100001"]))
    assert menu.current is not None
    assert (menu.current.url, menu.current.current) == (organisations, "true")
    assert [e.url for s in menu.sections for e in s.entries if e.current] == [organisations]
    assert console_menu("/en/help/").current is None


def test_administrator_also_gets_the_django_admin(client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    html = header(client, reverse("console:home"))
    assert 'id="console-menu-toggle"' in html
    assert '<a class="nav-link" href="/admin/">Administration</a>' in html


def test_customer_menu_is_unchanged(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    html = header(client, reverse("portal:home"))
    assert "console-menu" not in html and "/console/" not in html
    assert f'<a class="nav-link" href="{reverse("help:home")}">Help centre</a>' in html
    assert html.count('class="nav-link') >= 2
