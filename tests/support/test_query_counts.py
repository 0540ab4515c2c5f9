"""The customer list and the console queue cost the same number of queries for 3 rows as for 30."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.core.pagination import page_size
from guichet.core.tenancy import tenant_scope
from guichet.support import services
from guichet.support.models import Status
from tests.accounts.factories import OrganisationFactory, grant_all, make_member
from tests.support.conftest import url

pytestmark = pytest.mark.django_db


def queries_for(client, path: str, params: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured)


def add_requests(count: int, organisation, customer, agent, make_request: Callable[..., object]) -> None:  # type: ignore[no-untyped-def]
    """Rows that differ the way real ones do: assigned or not, waiting, with replies and files."""
    for i in range(count):
        item = make_request(organisation, customer, subject=f"Demande {i}", files=[("scan.pdf", b"%PDF-1.4\n%%EOF\n")])
        with tenant_scope(organisation):
            if i % 3 == 1:
                services.request_assign(actor=agent, request=item, assignee=agent)
            if i % 3 == 2:
                services.agent_comment(actor=agent, request=item, body="Une question", then=Status.WAITING)


def test_customer_list_query_count_does_not_grow_with_rows(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_request, django_assert_max_num_queries
) -> None:
    add_requests(3, org_a, customer_a, agent_be, make_request)
    client.force_login(customer_a)
    path = url("support:list")
    queries_for(client, path, {})  # warm the caches (support centre, session)
    with_3 = queries_for(client, path, {"status": "active"})

    add_requests(27, org_a, customer_a, agent_be, make_request)
    with django_assert_max_num_queries(with_3):
        response = client.get(path, {"status": "active"})
    assert len(response.context["page"]) == 25
    assert with_3 <= 10


def test_console_queue_query_count_does_not_grow_with_rows(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_request, django_assert_max_num_queries
) -> None:
    other_org = OrganisationFactory(country="BE", name="Org C SPRL")
    other_customer = make_member(other_org, role="admin", email="c@example.com")
    grant_all(other_customer, other_org)
    add_requests(2, org_a, customer_a, agent_be, make_request)
    add_requests(1, other_org, other_customer, agent_be, make_request)
    client.force_login(agent_be)
    path = url("support_console:queue")
    queries_for(client, path, {})
    with_3 = queries_for(client, path, {"status": ""})

    add_requests(14, org_a, customer_a, agent_be, make_request)
    add_requests(13, other_org, other_customer, agent_be, make_request)
    with django_assert_max_num_queries(with_3):
        response = client.get(path, {"status": ""})
    assert len(response.context["rows"]) == min(30, page_size("support_queue"))
