"""The Buy Tech board's worklists sort by their own parameter and export as CSV, one list at a time."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Organisation, User
from guichet.buytech import services
from guichet.buytech.models import ClaimRemedy
from guichet.core.tenancy import tenant_scope
from tests.buytech.conftest import reserve

pytestmark = pytest.mark.django_db


def csv_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_fees_awaited_sort_and_export(eligible: Organisation, buyer: User, agent: User, catalogue: dict) -> None:
    first = reserve(eligible, buyer, {"BT-LT-T14-N": 1})
    second = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    client = Client()
    client.force_login(agent)
    board = reverse("buytech_console:home")
    page = client.get(board, {"fee_sort": "-number"}).content.decode()
    listed = page[page.index('data-testid="awaiting-fee"') :]
    assert listed.index(second.number) < listed.index(first.number)
    assert "list=buytech_console_fee" in page and 'data-testid="worklist-sort"' in page
    rows = csv_of(client.get(board, {"fee_sort": "number", "export": "csv", "list": "buytech_console_fee"}))
    assert rows[0] == ["Number", "Organisation", "Reserved on", "Reference"]
    # A structured communication starts with "+": formula-safe, it is kept as text with an apostrophe.
    assert [(row[0], row[1], row[3]) for row in rows[1:]] == [
        (first.number, eligible.name, f"'{first.fee_reference}"),
        (second.number, eligible.name, f"'{second.fee_reference}"),
    ]
    # Another list's export holds none of these orders.
    assert csv_of(client.get(board, {"export": "csv", "list": "buytech_console_ship"})) == [
        ["Number", "Organisation", "Reserved on"]
    ]


def test_returns_claims_and_shipments_sort_and_export(  # type: ignore[no-untyped-def]
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock
) -> None:
    from tests.buytech.conftest import BPOST, deliver_all, forward, sign_agreements

    orders = [
        deliver_all(reserve(eligible, buyer, {"BT-LT-T14-N": 1, "BT-LT-L14-U": 1}), agent, clock) for _ in range(2)
    ]
    clock.today += timedelta(days=15)
    with tenant_scope(eligible):
        returns = [
            services.return_request(actor=buyer, order=order, positions=[1], reason="Not needed") for order in orders
        ]
        claims = [
            services.warranty_claim(
                actor=buyer, order=order, position=2, description="Screen flickers", remedy=ClaimRemedy.REFUND
            )
            for order in orders
        ]
        on_its_way = services.order_confirm(
            actor=agent, order=forward(reserve(eligible, buyer, {"BT-PH-A54-N": 1}), agent)
        )
        sign_agreements(on_its_way)
        on_its_way.refresh_from_db()
        on_its_way = services.order_record_payment(
            actor=agent, order=on_its_way, amount=services.order_price(on_its_way)
        )
        shipment = services.shipment_create(
            actor=agent, order=on_its_way, positions=[1], carrier="bpost", tracking_number=BPOST
        )
    client = Client()
    client.force_login(agent)
    board = reverse("buytech_console:home")
    page = client.get(board, {"returns_sort": "-number", "claims_sort": "number"}).content.decode()
    listed = page[page.index('data-testid="open-returns"') :]
    assert listed.index(returns[1].number) < listed.index(returns[0].number)
    listed = page[page.index('data-testid="open-claims"') :]
    assert listed.index(claims[0].number) < listed.index(claims[1].number)
    for name in ("in_transit", "returns", "claims"):
        assert f"list=buytech_console_{name}" in page
    rows = csv_of(client.get(board, {"returns_sort": "-number", "export": "csv", "list": "buytech_console_returns"}))
    assert rows[0] == ["Return", "Order", "Organisation", "Status", "Requested on"]
    assert [row[0] for row in rows[1:]] == [returns[1].number, returns[0].number]
    rows = csv_of(client.get(board, {"export": "csv", "list": "buytech_console_claims"}))
    assert rows[0] == ["Claim", "Order", "Organisation", "Item", "Remedy", "Opened on"]
    assert sorted(row[0] for row in rows[1:]) == sorted(claim.number for claim in claims)
    rows = csv_of(client.get(board, {"export": "csv", "list": "buytech_console_in_transit"}))
    assert rows[0] == ["Shipment", "Order", "Organisation", "Carrier", "Tracking number", "Dispatched on"]
    assert [(row[0], row[1]) for row in rows[1:]] == [(shipment.number, on_its_way.number)]
    assert csv_of(client.get(board, {"export": "csv", "list": "buytech_console_substitutions"}))[0] == [
        "Order",
        "Organisation",
        "Ordered",
        "Substituted by",
    ]
    # An undeclared column is ignored: the page still answers.
    assert client.get(board, {"claims_sort": "nonsense"}).status_code == 200


@pytest.mark.parametrize("name", ["in_transit", "substitutions", "returns", "claims"])
def test_the_exports_are_the_boards_own_access(name: str, buyer: User, agent: User) -> None:
    """An export is the board page itself: program staff only (a Romanian agent is refused, a customer
    goes to the login's refusal like the page); nothing of the list leaks with the refusal."""
    from tests.accounts.factories import make_agent

    board = reverse("buytech_console:home")
    query = {"export": "csv", "list": f"buytech_console_{name}"}
    client = Client()
    client.force_login(agent)
    assert client.get(board, query)["Content-Type"].startswith("text/csv")
    client.force_login(make_agent("RO", email="agent.ro.bt@example.com"))
    refused = client.get(board, query)
    assert refused.status_code == 403 and not refused["Content-Type"].startswith("text/csv")
    client.force_login(buyer)
    assert not client.get(board, query)["Content-Type"].startswith("text/csv")
    assert Client().get(board, query).status_code == 302
