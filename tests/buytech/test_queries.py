"""The order page, the API's order and the console board cost the same number of queries whatever the size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.accounts.models import ApiToken, Organisation, User

from .conftest import Clock, deliver_all, reserve

pytestmark = pytest.mark.django_db


def count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def test_order_reads_do_not_grow_with_the_order(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    small = deliver_all(reserve(eligible, buyer, {"BT-PH-A54-N": 1}), agent, clock)
    large = deliver_all(reserve(eligible, buyer, {"BT-PH-A54-N": 6, "BT-LT-T14-N": 6}), agent, clock)
    page = Client()
    page.force_login(buyer)
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(buyer)}"})
    console = Client()
    console.force_login(agent)
    for client, url in (
        (page, lambda n: reverse("buytech:order", kwargs={"number": n})),
        (api, lambda n: f"/api/v1/buytech/orders/{n}"),
        (console, lambda n: reverse("buytech_console:order", kwargs={"number": n})),
    ):
        count(client, url(small.number))  # warm caches (session, site, translations)
        count(client, url(small.number))  # a token's first call writes its "last used"; the next keeps its row
        assert count(client, url(large.number)) == count(client, url(small.number))


def test_console_board_does_not_grow_with_the_orders(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    console = Client()
    console.force_login(agent)
    reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    board = reverse("buytech_console:home")
    count(console, board)
    few = count(console, board)
    for _ in range(5):
        reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    assert count(console, board) == few
