"""The requests pages in a real browser: suggestions while typing, canned replies, no axe violation."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from guichet.accounts.models import User
from guichet.core.tenancy import tenant_scope
from guichet.help.models import SuggestionOpen
from guichet.support.models import CannedReply, Request
from tests.support.conftest import url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _help_content() -> None:
    """Transactional tests start from an empty database: load the shipped articles again."""
    from guichet.help.services import load_bundled_content

    load_bundled_content()


def signed_in(new_context: Any, live_server: Any, user: User) -> Any:
    """A browser page carrying the session of `user` (signed in through Django's test client)."""
    client = Client()
    client.force_login(user)
    context = new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def sent_query(response: Any) -> str:
    return parse_qs(urlsplit(response.url).query)["q"][0]


def test_typing_subject_and_description_suggests_help_articles(  # type: ignore[no-untyped-def]
    new_context, live_server, axe_check, org_a, customer_a
) -> None:
    page = signed_in(new_context, live_server, customer_a)
    page.goto(url("support:request_new"))
    axe_check(page)
    page.get_by_label("Invoices and payments").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/requests/new/?type=invoices")
    assert page.input_value("#id_contact_email") == customer_a.email

    with page.expect_response(lambda response: "/help/suggest/" in response.url) as answer:
        page.fill("#id_subject", "copy of my invoice")
    assert sent_query(answer.value) == "copy of my invoice"
    suggestions = page.locator("#suggestions a")
    suggestions.first.wait_for()
    assert url("help:suggestion", slug="invoice-copy") in [
        str(link.get_attribute("href")).split("?")[0] for link in suggestions.all()
    ]
    # The description counts too: what is typed there refines the query.
    with page.expect_response(lambda response: "/help/suggest/" in response.url) as answer:
        page.fill("#id_description", "I need a duplicate")
    assert sent_query(answer.value) == "copy of my invoice I need a duplicate"
    axe_check(page)

    page.fill("#id_invoice_number", "INV-2026-77")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url("**/requests/BE-*/")
    with tenant_scope(org_a):
        created = Request.objects.get()
    assert created.details == {"invoice_number": "INV-2026-77"}
    assert page.get_by_test_id("request-number").inner_text() == created.number
    axe_check(page)
    # Suggestions shown here are not opens; nothing is recorded until one is followed.
    assert not SuggestionOpen.objects.exists()


def test_agent_inserts_a_canned_reply_and_pages_pass_axe(  # type: ignore[no-untyped-def]
    new_context, live_server, axe_check, org_a, customer_a, agent_be, make_request
) -> None:
    CannedReply.objects.create(title="Copie envoyée", language="fr", body="Bonjour,\nvoici la copie demandée.")
    item = make_request(org_a, customer_a)
    page = signed_in(new_context, live_server, agent_be)
    page.goto(url("support_console:queue"))
    axe_check(page)
    page.get_by_role("link", name=item.number).click()
    page.wait_for_url(f"**{url('support_console:detail', number=item.number)}")
    axe_check(page)
    page.get_by_text("Canned replies").click()
    page.get_by_role("button", name="Insert “Copie envoyée”").click()
    assert page.input_value("#id_body") == "Bonjour,\nvoici la copie demandée."
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"**{url('support_console:detail', number=item.number)}")
    assert "voici la copie demandée." in page.get_by_test_id("timeline").inner_text()
    page.goto(url("support_console:satisfaction"))
    axe_check(page)

    customer = signed_in(new_context, live_server, customer_a)
    customer.goto(url("support:list"))
    axe_check(customer)
    customer.goto(url("support:detail", number=item.number))
    assert "voici la copie demandée." in customer.get_by_test_id("timeline").inner_text()
    axe_check(customer)
