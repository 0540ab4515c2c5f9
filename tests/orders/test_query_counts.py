"""The order list (page and API) and the console search cost the same queries for 3 orders as for 30."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.accounts.models import ApiToken
from guichet.core.tenancy import tenant_scope
from guichet.orders import services
from tests.orders.conftest import lines_of, url

pytestmark = pytest.mark.django_db


def add_orders(count: int, organisation, customer, make_order, start: int) -> None:  # type: ignore[no-untyped-def]
    """Orders that differ the way real ones do: some with parcels, some without."""
    for i in range(start, start + count):
        order = make_order(organisation, customer, purchase_order=f"PO-{i}")
        if i % 2:
            server, disks = lines_of(order)
            with tenant_scope(organisation):
                services.shipment_add(
                    actor=None,
                    order=order,
                    carrier="dhl_express",
                    tracking_number=f"{4000000000 + i}",
                    quantities={disks.pk: 2, server.pk: 1},
                )


def queries_for(client, path: str, **headers: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return len(captured)


def test_customer_list_page(client, org_a, customer_a, make_order, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    add_orders(3, org_a, customer_a, make_order, 0)
    client.force_login(customer_a)
    path = url("orders:list")
    queries_for(client, path)
    with_3 = queries_for(client, path)
    add_orders(27, org_a, customer_a, make_order, 3)
    with django_assert_max_num_queries(with_3):
        response = client.get(path)
    assert len(response.context["page"]) == 25


def test_api_list(client, org_a, customer_a, make_order, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    add_orders(3, org_a, customer_a, make_order, 0)
    token = {"Authorization": f"Bearer {ApiToken.issue(customer_a)}"}
    with_3 = queries_for(client, "/api/v1/orders", **token)
    add_orders(27, org_a, customer_a, make_order, 3)
    with django_assert_max_num_queries(with_3):
        response = client.get("/api/v1/orders", {"page_size": 30}, headers=token)
    assert len(response.json()["items"]) == 30


def test_console_search(client, org_a, customer_a, agent_be, make_order, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    add_orders(3, org_a, customer_a, make_order, 0)
    client.force_login(agent_be)
    path = url("orders_console:find")
    queries_for(client, path)
    with_3 = queries_for(client, path)
    add_orders(27, org_a, customer_a, make_order, 3)
    with django_assert_max_num_queries(with_3):
        response = client.get(path)
    assert len(response.context["page"]) == 30


def test_detail_page_does_not_grow_with_parcels(
    client, org_a, customer_a, make_order, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    order = make_order(org_a, customer_a, lines=[services.LineIn(f"P{i}", "x", 5) for i in range(10)])
    lines = lines_of(order)
    client.force_login(customer_a)

    def ship(i: int) -> None:
        with tenant_scope(org_a):
            services.shipment_add(
                actor=None,
                order=order,
                carrier="dhl_express",
                tracking_number=f"{5000000000 + i}",
                quantities={lines[i].pk: 1, lines[i + 1].pk: 1},
            )

    ship(0)
    path = url("orders:detail", number=order.number)
    queries_for(client, path)
    with_1 = queries_for(client, path)
    for i in range(1, 8):
        ship(i)
    with django_assert_max_num_queries(with_1):
        client.get(path)
