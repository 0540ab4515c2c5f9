"""What a request's page keeps once printed (support/detail.py) follows every change it prints, and
what the agents see never reaches the customer's page through it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.accounts.models import User
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services
from guichet.support.models import Event
from tests.accounts.factories import make_agent
from tests.support.conftest import url

pytestmark = pytest.mark.django_db


def _page(client, name: str, number: str, language: str = "en") -> str:  # type: ignore[no-untyped-def]
    response = client.get(url(name, language, number=number))
    assert response.status_code == 200
    return response.content.decode()


def _reads_agents(sql: str) -> bool:
    return "accounts_user" in sql and "kind" in sql and "agent" in sql


def test_the_agents_colleagues_follow_a_new_agent_and_a_new_name(
    client, org_a, customer_a, agent_be, make_request
) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    client.force_login(agent_be)
    with CaptureQueriesContext(connection) as first:
        _page(client, "support_console:detail", item.number)
    with CaptureQueriesContext(connection) as second:
        page = _page(client, "support_console:detail", item.number)
    # The colleagues are kept: read on the first view, not again.
    assert [q for q in first.captured_queries if _reads_agents(q["sql"])]
    assert not [q for q in second.captured_queries if _reads_agents(q["sql"])]
    assert "Luc Dupont" not in page
    colleague = make_agent("BE", email="luc@example.com", first_name="Luc", last_name="Dupont")
    assert f'<option value="{colleague.pk}">Luc Dupont</option>' in _page(client, "support_console:detail", item.number)
    User.objects.filter(pk=colleague.pk).update(last_name="Durand")  # a queryset's write, no signal
    page = _page(client, "support_console:detail", item.number)
    assert "Luc Durand" in page and "Luc Dupont" not in page
    make_agent("RO", email="ioana@example.com", first_name="Ioana", last_name="Pop")  # serves another country
    assert "Ioana" not in _page(client, "support_console:detail", item.number)


def test_the_story_follows_each_new_entry_name_and_language(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    client.force_login(customer_a)
    assert "Message from the customer" not in _page(client, "support:detail", item.number)
    with tenant_scope(org_a):
        services.customer_reply(actor=customer_a, request=item, body="Première <relance>")
    page = _page(client, "support:detail", item.number)
    assert "Message from the customer" in page and "Première &lt;relance&gt;" in page
    User.objects.filter(pk=customer_a.pk).update(first_name="Zoé", last_name="Nouveau")
    client.force_login(User.objects.get(pk=customer_a.pk))
    assert page.count("· Zoé Nouveau") == 0 and _page(client, "support:detail", item.number).count("· Zoé Nouveau") == 2
    assert "Message du client" in _page(client, "support:detail", item.number, "fr")


def test_what_the_agents_page_printed_never_reaches_the_customer(
    client, org_a, customer_a, agent_be, make_request
) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=item, body="Client difficile", internal=True)
        services.agent_comment(actor=agent_be, request=item, body="Nous regardons.")
    client.force_login(agent_be)
    agents_page = _page(client, "support_console:detail", item.number)
    assert "Client difficile" in agents_page and "Nous regardons." in agents_page
    client.force_login(customer_a)
    page = _page(client, "support:detail", item.number)
    assert "Nous regardons." in page
    assert "Client difficile" not in page and "Internal note" not in page and "data-internal" not in page
    assert "/console/" not in page[page.index('data-testid="timeline"') : page.index("</ol>")]


def test_an_entry_whose_data_holds_a_list_is_printed(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    """A row holding a list cannot be a key: printed each time, as before."""
    item = make_request(org_a, customer_a)
    with across_organisations():
        Event.objects.create(organisation=org_a, request=item, kind="assigned", data={"assignee": ["A", "B"]})
    client.force_login(agent_be)
    assert "Assigned to [&#x27;A&#x27;, &#x27;B&#x27;]" in _page(client, "support_console:detail", item.number)
