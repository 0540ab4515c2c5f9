"""What the busiest pages cost, whatever the data: at most 10 queries for the console queue and the
request detail (customer and agent), a throttled token "last used" write, and a support centre
edit seen at once by the process that made it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.accounts.models import ApiToken
from guichet.core.countries import get_centre
from guichet.core.models import SupportCentre
from guichet.core.tenancy import tenant_scope
from guichet.support import services
from guichet.support.models import Status
from tests.accounts.test_api import token_for
from tests.support.conftest import PDF, url

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 10


def _busy_request(org, customer, agent, make_request):  # type: ignore[no-untyped-def]
    """A request with a conversation: replies both ways, an internal note, files, a status change."""
    item = make_request(org, customer, files=[("scan.pdf", PDF)])
    with tenant_scope(org):
        services.request_assign(actor=agent, request=item, assignee=agent)
        for turn in range(6):
            services.agent_comment(actor=agent, request=item, body=f"Question {turn}", then=Status.WAITING)
            services.agent_comment(actor=agent, request=item, body=f"Note {turn}", internal=True)
            services.customer_reply(actor=customer, request=item, body=f"Réponse {turn}", files=[("r.pdf", PDF)])
    return item


def _count(client, path: str) -> int:  # type: ignore[no-untyped-def]
    client.get(path)  # warm the per-process caches first: the steady state is what is budgeted
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["customer", "agent"])
def test_request_detail_stays_within_budget_however_long_the_conversation(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_request, who
) -> None:
    item = _busy_request(org_a, customer_a, agent_be, make_request)
    if who == "customer":
        client.force_login(customer_a)
        path = url("support:detail", number=item.number)
    else:
        client.force_login(agent_be)
        path = url("support_console:detail", number=item.number)
    short = _count(client, path)
    with tenant_scope(org_a):
        for turn in range(10):
            services.agent_comment(actor=agent_be, request=item, body=f"Encore {turn}", files=[("x.pdf", PDF)])
    long = _count(client, path)
    assert long == short
    assert long <= PAGE_BUDGET, f"{long} queries"


def test_console_queue_stays_within_budget(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        _busy_request(org_a, customer_a, agent_be, make_request)
    client.force_login(agent_be)
    assert _count(client, url("support_console:queue") + "?status=") <= PAGE_BUDGET


def test_a_token_records_its_use_at_most_once_a_minute(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token_for(client, customer_a.email).json()['token']}"}
    token = ApiToken.objects.get(user=customer_a)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert not [q for q in captured if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"].lower()]
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    # A minute later the next call writes it again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=1, seconds=1))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    later = ApiToken.objects.get(pk=token.pk).last_used_at
    assert later is not None and timezone.now() - later < timedelta(seconds=30)


def test_an_edited_support_centre_is_read_again_at_once() -> None:
    before = get_centre("BE")
    with CaptureQueriesContext(connection) as captured:
        assert get_centre("BE") is before  # held by this process: no query, no cache round trip
    assert len(captured) == 0

    centre = SupportCentre.objects.get(country="BE")
    centre.hours_published = not before.hours_published
    centre.save()
    assert get_centre("BE").hours_published is centre.hours_published
