"""Global search costs one query for every kind it looks in, and the pages a handful more, whatever
the data: the providers' lookups reach the database as one UNION ALL (core.search._fetch)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guichet.accounts.models import ApiToken
from guichet.core.search import search
from guichet.core.tenancy import tenant_scope
from guichet.help import search_store
from guichet.search import searchers
from guichet.support import services as support_services
from tests.contracts.conftest import make_contract
from tests.inventory.conftest import make_machine

from .conftest import url
from .test_search import customer

pytestmark = pytest.mark.django_db

BUDGET = 10  # issue 17: every page within 10 queries whatever the data size
# A word that also reads as a number and a serial's beginning: every lookup of every kind runs.
EVERYTHING = "maintenance"


def more_data(organisation, user, start: int, count: int) -> None:  # type: ignore[no-untyped-def]
    """Objects that answer EVERYTHING: requests by their subject, machines by their serial's beginning."""
    with tenant_scope(organisation):
        for n in range(start, start + count):
            support_services.request_submit(
                actor=user,
                organisation=organisation,
                type="general",
                subject=f"Maintenance du serveur {n}",
                description="Planifier la visite.",
                details={},
                contact={"name": user.get_full_name(), "email": user.email},
            )
    for n in range(start, start + count):
        make_machine(organisation, serial=f"MAINTENANCE{n % 10}", machine_type=f"{8000 + n // 10}")
        make_contract(organisation, title=f"Maintenance {n}")


def queries(client: Client, path: str, params: dict[str, str], **headers: str) -> int:
    # Warm: the help centre's index; the token's last use, a write to accounts' data, so the token
    # is read again by the second call and kept from then on (accounts/api_access.py).
    for _ in range(2):
        client.get(path, params, headers=headers)
    search_store.cached_stamp()  # the help index's stamp is read every 30 s, not per request: not now
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params, headers=headers)
    assert response.status_code == 200
    return len(captured)


def test_a_search_asks_the_database_once_for_every_kind(world, org_a, customer_a, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    searcher = customer(org_a, customer_a)
    for text in (world["a"].machine.serial, world["a"].invoice.number, "8286-78AB001", "1234.50"):
        with django_assert_num_queries(1):
            search(text, searcher)


def test_a_staff_search_asks_once(world, agent_be, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        results = search(world["a"].request.number, searchers.for_staff(agent_be))
    assert [hit.number for hit in results.hits] == [world["a"].request.number]


def test_the_page_and_the_api_stay_within_budget_as_data_grows(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    page, api = Client(), Client()
    page.force_login(customer_a)
    token = {"Authorization": f"Bearer {ApiToken.issue(customer_a)}"}
    path = url("search:results", "fr")
    more_data(org_a, customer_a, 0, 2)
    for _warm in range(2):  # a token's first call writes its "last used"; the next keeps its row (api_access.py)
        queries(api, "/api/v1/search", {"q": "warm"}, **token)
    before = queries(page, path, {"q": EVERYTHING}), queries(api, "/api/v1/search", {"q": EVERYTHING}, **token)
    more_data(org_a, customer_a, 2, 20)
    after = queries(page, path, {"q": EVERYTHING}), queries(api, "/api/v1/search", {"q": EVERYTHING}, **token)
    assert after == before
    assert max(after) <= BUDGET
    kinds = [item["kind"] for item in api.get("/api/v1/search", {"q": EVERYTHING}, headers=token).json()["items"]]
    assert kinds.count("request") == kinds.count("machine") == 10  # PER_KIND of the 22
    assert kinds.count("contract") == 0  # a title is not searched, only a number


def test_the_console_page_stays_within_budget(world, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(agent_be)
    path = url("search_console:results")
    more_data(org_a, customer_a, 0, 2)
    before = queries(client, path, {"q": EVERYTHING})
    more_data(org_a, customer_a, 2, 20)
    after = queries(client, path, {"q": EVERYTHING})
    assert after == before <= BUDGET
