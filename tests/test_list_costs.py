"""The customer lists of contracts, invoices, orders and machines (issue 17): keyset pages, and what a page costs.

Every column, both ways: walking the pages from cursor to cursor shows every row exactly once (ties
and empty values included). A page costs at most 10 queries, the same on page 3 as on page 1 and
for 12 rows as for 4.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.billing.views.portal import INVOICE_LIST
from guichet.contracts.views.portal import CONTRACT_LIST
from guichet.inventory.views.portal import MACHINE_LIST
from guichet.orders.views.portal import ORDER_LIST
from tests.contracts.conftest import make_contract
from tests.inventory.conftest import cover, make_machine

pytestmark = pytest.mark.django_db

SIZE = 4
BUDGET = 10


@pytest.fixture(autouse=True)
def _small_pages(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_SIZES = {**settings.PAGE_SIZES, "contracts": SIZE, "invoices": SIZE, "orders": SIZE, "machines": SIZE}


def add_contracts(org, count: int, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    for i in range(start, start + count):
        make_contract(
            org,
            number=f"BE-L-{i:03d}",
            title=f"Contract {i % 3}",
            start_date=date(2024, 1, 1 + i % 2),  # ties on the default order
            end_date=None if i % 3 == 0 else date(2027, 1, 1 + i % 4),  # empty values on a sort column
            amount=Decimal(100 * (i % 4)),
        )


def add_invoices(org, make_invoice, count: int, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    for i in range(start, start + count):
        make_invoice(org, issue_date=date(2026, 3, 1) + timedelta(days=i % 3))


def add_orders(org, customer, make_order, count: int, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    for i in range(start, start + count):
        make_order(org, customer, purchase_order=f"PO-{i % 3}" if i % 2 else "")


def add_machines(org, count: int, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    for i in range(start, start + count):
        machine = make_machine(org, f"78L{i:04d}", site_city=f"City {i % 2}", description=f"Server {i % 3}")
        if i % 4 == 0:
            cover(machine)


def key(row: Any) -> str:
    return getattr(row, "number", None) or row.serial


def walk(client, path: str, sort: str) -> tuple[list[str], list[int]]:  # type: ignore[no-untyped-def]
    """Every row from page to page in this order, and each page's query count."""
    seen: list[str] = []
    counts: list[int] = []
    params: dict[str, str] = {"sort": sort}
    while True:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, params)
        assert response.status_code == 200, (sort, response.status_code)
        counts.append(len(captured))
        seen += [key(row) for row in response.context["rows"]]
        following = response.context["page"].next
        if not following:
            return seen, counts
        params = {"sort": sort, "cursor": following}


def exported(client, path: str, sort: str, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(path, {"sort": sort, "export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[1:]
    return [line[2] if name == "machines" else line[0] for line in lines]  # machines: type, model, serial


LISTS: dict[str, tuple[str, Any]] = {
    "contracts": ("/en/contracts/", CONTRACT_LIST),
    "invoices": ("/en/billing/", INVOICE_LIST),
    "orders": ("/en/orders/", ORDER_LIST),
    "machines": ("/en/inventory/", MACHINE_LIST),
}


@pytest.fixture
def seed(org_a, customer_a, make_invoice, make_order) -> Callable[[str, int, int], None]:  # type: ignore[no-untyped-def]
    def add(name: str, count: int, start: int = 0) -> None:
        if name == "contracts":
            add_contracts(org_a, count, start)
        elif name == "invoices":
            add_invoices(org_a, make_invoice, count, start)
        elif name == "orders":
            add_orders(org_a, customer_a, make_order, count, start)
        else:
            add_machines(org_a, count, start)

    return add


@pytest.fixture
def make_invoice():  # type: ignore[no-untyped-def]
    from tests.billing.conftest import make_invoice as fixture

    return fixture.__wrapped__()  # type: ignore[attr-defined]


@pytest.fixture
def make_order():  # type: ignore[no-untyped-def]
    from tests.orders.conftest import make_order as fixture

    return fixture.__wrapped__()  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", LISTS)
def test_every_order_walks_every_row_once(client, customer_a, seed, name) -> None:  # type: ignore[no-untyped-def]
    seed(name, 11)
    client.force_login(customer_a)
    path, spec = LISTS[name]
    everything = None
    for column in spec.columns:
        for sort in (column.key, f"-{column.key}"):
            seen, _counts = walk(client, path, sort)
            assert len(seen) == len(set(seen)) == 11, (sort, seen)
            assert exported(client, path, sort, name) == seen, sort  # the export holds the pages' order
            everything = everything or set(seen)
            assert set(seen) == everything, sort


@pytest.mark.parametrize("name", LISTS)
def test_a_page_costs_the_same_deep_and_with_more_rows(client, customer_a, seed, name) -> None:  # type: ignore[no-untyped-def]
    path, spec = LISTS[name]
    seed(name, 4)
    client.force_login(customer_a)
    walk(client, path, spec.default)  # warm: the saved filters' row exists from now on
    _seen, (few,) = walk(client, path, spec.default)
    seed(name, 8, start=4)
    # The writes replaced the data versions: what a list keeps (inventory's suggestions and coverage
    # lines) is computed once again, still within the budget, then the pages cost what they did.
    _seen, cold = walk(client, path, spec.default)
    assert max(cold) <= BUDGET, cold
    seen, counts = walk(client, path, spec.default)
    assert len(seen) == 12 and len(counts) == 3
    assert few <= BUDGET, few
    assert counts == [few, few, few], counts


def test_a_foreign_or_forged_cursor_is_a_translated_400(client, customer_a, seed) -> None:  # type: ignore[no-untyped-def]
    seed("orders", 6)
    client.force_login(customer_a)
    response = client.get("/fr/orders/", {"sort": "-date"})
    cursor = response.context["page"].next
    assert client.get("/fr/orders/", {"sort": "-date", "cursor": cursor}).status_code == 200
    # Another order, another list, or a tampered cursor: refused, not a wrong page.
    assert client.get("/fr/orders/", {"sort": "lines", "cursor": cursor}).status_code == 400
    assert client.get("/fr/contracts/", {"cursor": cursor}).status_code == 400
    response = client.get("/fr/orders/", {"sort": "-date", "cursor": cursor[:-2] + "xx"})
    assert response.status_code == 400 and "lien" in response.content.decode()
