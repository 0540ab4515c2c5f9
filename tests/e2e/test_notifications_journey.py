"""Issue 13: an agent replies to Marie's request and her bell counts it, without a page reload."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from guichet.accounts.models import User
from guichet.core.models import Notification
from guichet.core.tenancy import tenant_scope
from guichet.support import services
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What the bell and the list say, per language.
WORDS = {
    "fr": ("notifications non lues", "Nouvelle réponse à votre demande", "Tout marquer comme lu"),
    "ro": ("notificări necitite", "Răspuns nou la solicitarea dumneavoastră", "Marcați toate ca citite"),
}


@pytest.fixture(autouse=True)
def _site(settings, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(context: Any, live_server: Any, user: User) -> Any:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


@pytest.mark.parametrize(("language", "country", "phone"), [("fr", "BE", False), ("ro", "RO", True)])
def test_marie_s_bell_counts_the_agents_reply(  # type: ignore[no-untyped-def]
    new_context, live_server, smtp_sink, axe_check, language: str, country: str, phone: bool
) -> None:
    organisation = OrganisationFactory(country=country, language=language)
    marie = make_member(organisation, role="admin", language=language, first_name="Marie", email="marie@example.com")
    grant_all(marie, organisation, ["requests"])
    agent = make_agent(country, language=language, email=f"agent.{language}@example.com")
    with tenant_scope(organisation):
        request = services.request_submit(
            actor=marie,
            organisation=organisation,
            type="invoices",
            subject="Copie de facture",
            description="Merci de renvoyer la facture de mars.",
            details={"invoice_number": "INV-2026-1"},
            contact={"name": "Marie", "email": marie.email},
        )
    before = Notification.objects.filter(user=marie, read_at__isnull=True).count()
    assert before == 1  # the acknowledgement of her request

    context = new_context(phone=phone)
    page = signed_in(context, live_server, marie)
    page.clock.install()  # the bell polls every 30 s: the test moves the page's clock, not the wall's
    page.goto(f"{live_server.url}/{language}/requests/")
    bell = page.locator("[data-testid=notification-bell]")
    expect(bell).to_be_visible()  # on a phone too: outside the collapsed menu
    count = page.locator("[data-testid=notification-count]")
    count.wait_for()
    assert count.inner_text() == "1"
    axe_check(page)

    with tenant_scope(organisation):
        services.agent_comment(actor=agent, request=request, body="Quel mois exactement ?")
    assert Notification.objects.filter(user=marie, read_at__isnull=True).count() == 2

    url_before = page.url
    page.clock.run_for(20_000)
    assert count.inner_text() == "1"  # no poll before 30 s
    page.clock.run_for(11_000)
    expect(count).to_have_text("2")
    assert page.url == url_before  # no reload
    unread_words, title, mark_all = WORDS[language]
    assert f"2 {unread_words}" in bell.inner_text()
    axe_check(page)

    # By keyboard: the bell opens the list; the reply is there, in her language; all marked read.
    bell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{language}/notifications/")
    assert f"{title} {request.number}" in page.locator("[data-testid=notifications]").inner_text()
    axe_check(page)
    page.get_by_role("button", name=mark_all).click()
    page.wait_for_url(f"**/{language}/notifications/")
    page.locator("[data-testid=notification-count-none]").wait_for(state="attached")
    assert Notification.objects.filter(user=marie, read_at__isnull=True).count() == 0
    axe_check(page)

    page.goto(f"{live_server.url}/{language}/notifications/preferences/")
    axe_check(page)
