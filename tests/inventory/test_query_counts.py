"""The machine list, its API and the console cost the same number of queries for 3 rows as for 30."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.accounts.models import ApiToken
from guichet.core.tenancy import tenant_scope
from guichet.inventory import services
from tests.accounts.test_api import token_for
from tests.inventory.conftest import cover, make_machine, today, url

pytestmark = pytest.mark.django_db


def queries_for(client, path: str, **extra) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return len(captured)


def add_machines(organisation, customer, start: int, count: int) -> None:  # type: ignore[no-untyped-def]
    """Rows that differ the way real ones do: under contract, warranty, nothing; some with repairs."""
    for i in range(start, start + count):
        machine = make_machine(organisation, f"78QC{i:03d}", warranty_end=today() + timedelta(days=i % 2 * 100))
        if i % 3 == 0:
            cover(machine, number=f"BE-HW-2026-{i:04d}")
        if i % 4 == 0:
            with tenant_scope(organisation):
                services.repair_request(
                    actor=customer, machine=machine, kind="hardware", description="x", accept_billing=True
                )


def test_list_page_api_and_console_do_not_grow_with_rows(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    token = token_for(client, customer_a.email).json()["token"]
    api = {"headers": {"Authorization": f"Bearer {token}"}}

    def measure() -> tuple[int, int, int]:
        # Each call starts cold (the staff MFA check, the centre, the kept suggestions and coverage
        # lines are cached): the page's 25 machines' lines would otherwise be the API's 3, kept.
        cache.clear()
        client.force_login(customer_a)
        page = queries_for(client, url("inventory:list"))
        # The token's last use is written at most once a minute: make each call write it.
        ApiToken.objects.update(last_used_at=None)
        cache.clear()
        listing = queries_for(client, "/api/v1/machines", **api)
        cache.clear()
        client.force_login(agent_be)
        console = queries_for(client, url("inventory_console:home"))
        return page, listing, console

    add_machines(org_a, customer_a, 0, 3)
    few = measure()
    add_machines(org_a, customer_a, 3, 27)
    many = measure()
    assert many == few
