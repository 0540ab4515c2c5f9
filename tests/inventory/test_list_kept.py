"""My inventory's list: 25 machines a page like every customer list, and what it does not need to read
on every page (the datalists' suggestions, the page's coverage lines) kept under the data versions of
what they come from (core/data_versions.py): shown again without a query, changed at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.contracts.models import CoveredMachine
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import Machine
from tests.inventory.conftest import cover, make_machine, today, url

pytestmark = pytest.mark.django_db


def page(client, **params):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("inventory:list"), params)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured]


def reads(sqls: list[str], table: str) -> bool:
    return any(f'FROM "{table}"' in sql or f"FROM {table}" in sql or f'JOIN "{table}"' in sql for sql in sqls)


def test_a_page_shows_25_machines(client, customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    for i in range(30):
        make_machine(org_a, f"78PG{i:03d}")
    client.force_login(customer_a)
    first, _sqls = page(client)
    assert len(first.context["rows"]) == 25
    assert first.context["page"].next
    second, _sqls = page(client, cursor=first.context["page"].next)
    assert [row.serial for row in second.context["rows"]] == [f"78PG{i:03d}" for i in range(25, 30)]


def test_suggestions_and_coverage_are_read_once_then_kept(client, customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    covered = make_machine(org_a, "78KP001")
    cover(covered)
    make_machine(org_a, "78KP002")
    client.force_login(customer_a)
    first, cold = page(client)
    assert reads(cold, "contracts_coveredmachine")
    assert sum('"inventory_machine"' in sql for sql in cold) == 4  # the page, its count, types, serials
    again, warm = page(client)
    assert not reads(warm, "contracts_coveredmachine")
    assert sum('"inventory_machine"' in sql for sql in warm) == 2  # the page and its count only
    assert again.context["rows"] == first.context["rows"]  # the same rows, coverage and all
    assert again.context["suggested_serials"] == ["78KP001", "78KP002"]


def test_a_new_or_departed_machine_shows_in_the_suggestions_at_once(client, customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    make_machine(org_a, "78KP001")
    client.force_login(customer_a)
    assert '<option value="78KP001">' in page(client)[0].content.decode()
    make_machine(org_a, "78KP002", machine_type="9009")
    html = page(client)[0].content.decode()
    assert '<option value="78KP002">' in html and '<option value="9009">' in html
    with across_organisations():  # a queryset update, not a save
        Machine.objects.filter(serial="78KP001").update(departed_on=today() - timedelta(days=1))
    assert '<option value="78KP001">' not in page(client)[0].content.decode()


def test_a_contract_change_shows_on_the_next_page(client, customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a, "78KP001")
    client.force_login(customer_a)
    assert [row.state for row in page(client)[0].context["rows"]] == ["none"]
    line = cover(machine)  # a contract's line: the contracts application's data
    assert [row.state for row in page(client)[0].context["rows"]] == ["contract"]
    with across_organisations():
        CoveredMachine.objects.filter(pk=line.pk).update(covered_until=today() - timedelta(days=1))
    assert [row.state for row in page(client)[0].context["rows"]] == ["none"]


def test_kept_suggestions_are_each_organisation_s_own(client, customer_a, customer_b, org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    make_machine(org_a, "78AA001")
    make_machine(org_b, "78BB001")
    client.force_login(customer_a)
    assert "78AA001" in page(client)[0].content.decode()
    client.force_login(customer_b)
    html = page(client)[0].content.decode()
    assert "78BB001" in html and "78AA001" not in html
