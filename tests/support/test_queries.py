"""The request lists run a constant number of queries, whatever the number of rows.

Each list is measured with 3 requests and again with 43, made through the
services (requesters, assignees, organisations and statuses vary, so a missing
`select_related` shows up as queries that grow with the rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.accounts.models import Organisation, User
from guichet.core.pagination import page_size
from guichet.core.tenancy import tenant_scope
from guichet.support import services
from guichet.support.models import Status
from tests.accounts.factories import OrganisationFactory, make_agent, make_member
from tests.accounts.test_api import token_for

pytestmark = pytest.mark.django_db

TYPES: list[tuple[str, dict[str, str]]] = [
    ("invoices", {"invoice_number": "INV-2026-0042"}),
    ("contracts", {"contract_number": "C-BE-0001"}),
    ("inventory", {"machine_type": "8286", "machine_model": "42A", "serial": "78ABC12"}),
    ("general", {}),
]


class Seeder:
    """Requests for org_a (two requesters) and a second Belgian organisation, assigned to two agents."""

    def __init__(self, org_a: Organisation, customer_a: User, agent_be: User) -> None:
        colleague = make_member(org_a, email="colleague@example.com")
        other_org = OrganisationFactory(country="BE", name="Other BE SA")
        other_customer = make_member(other_org, email="other@example.com")
        self.authors = [(org_a, customer_a), (org_a, colleague), (org_a, customer_a), (other_org, other_customer)]
        self.agents = [agent_be, make_agent("BE", email="agent2.be@example.com")]
        self.made = 0

    def add(self, count: int) -> None:
        for _ in range(count):
            i = self.made
            self.made += 1
            organisation, requester = self.authors[i % len(self.authors)]
            kind, details = TYPES[i % len(TYPES)]
            with tenant_scope(organisation):
                request = services.request_submit(
                    actor=requester,
                    organisation=organisation,
                    type=kind,
                    subject=f"Demande {i}: facture et contrat",
                    description="Merci de vérifier.",
                    details=details,
                    contact={"name": requester.get_full_name(), "email": requester.email},
                    priority=["low", "normal", "high", "urgent"][i % 4],
                )
                if i % 3 == 0:
                    continue  # left unassigned
                agent = self.agents[i % 2]
                services.request_assign(actor=agent, request=request, assignee=agent)
                if i % 3 == 2:
                    services.agent_comment(actor=agent, request=request, body="Une question.", then=Status.WAITING)
                    services.customer_reply(actor=requester, request=request, body="Voici la réponse.")


@pytest.fixture
def seeder(org_a, customer_a, agent_be) -> Seeder:  # type: ignore[no-untyped-def]
    return Seeder(org_a, customer_a, agent_be)


def measured(get: Callable[[], Any], rows: int) -> int:
    """Queries run by one call of `get`, which must answer 200 with `rows` rows."""
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200, response.content[:500]
    if response["Content-Type"].startswith("application/json"):
        assert len(response.json()["items"]) == rows
    else:
        assert response.content.count(b"<tr data-number=") == rows
    return len(queries)


def assert_constant(  # type: ignore[no-untyped-def]
    get: Callable[[], Any], seeder: Seeder, rows: Callable[[int], int], django_assert_max_num_queries
) -> None:
    seeder.add(3)
    get()  # warm the per-process caches (support centres, templates) first
    get()  # an API token's first call writes its "last used": the next keeps its row (accounts/api_access.py)
    few = measured(get, rows(seeder.made))
    seeder.add(40)
    with django_assert_max_num_queries(few):
        many = measured(get, rows(seeder.made))
    assert many == few, f"{few} queries with 3 requests, {many} with 43"


def _org_a_rows(made: int) -> int:
    return sum(1 for i in range(made) if i % 4 != 3)


def _open_rows(made: int) -> int:
    return made  # nothing is closed: every request is in the open queue


@pytest.mark.parametrize("query", ["", "?status=active", "?q=facture", "?sort=title&kind=request"])
def test_customer_request_list_page(client, customer_a, seeder, query, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert_constant(
        lambda: client.get(f"/en/requests/{query}"),
        seeder,
        lambda made: min(_org_a_rows(made), 25),
        django_assert_max_num_queries,
    )


@pytest.mark.parametrize("query", ["", "?q=facture", "?status=&assignee=me"])
def test_console_queue(client, agent_be, seeder, query, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_be)

    def rows(made: int) -> int:
        if "assignee=me" in query:
            return sum(1 for i in range(made) if i % 3 != 0 and i % 2 == 0)
        return min(_open_rows(made), page_size("support_queue"))

    assert_constant(lambda: client.get(f"/en/console/requests/{query}"), seeder, rows, django_assert_max_num_queries)


@pytest.mark.parametrize("query", ["", "&status=open", "&q=facture"])
def test_api_request_list(client, customer_a, seeder, query, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token_for(client, customer_a.email).json()['token']}"}
    assert_constant(
        lambda: client.get(f"/api/v1/requests?page_size=100{query}", headers=headers),
        seeder,
        _org_a_rows,
        django_assert_max_num_queries,
    )
