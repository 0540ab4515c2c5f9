"""Two reservations of the last device at the same time: one gets it, the other is told it is out of stock."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from guichet.accounts.models import Organisation, User
from guichet.buytech.models import BuyTechOrder, Product
from guichet.core.errors import Conflict
from guichet.core.tenancy import across_organisations

from .conftest import reserve

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_last_device_goes_to_one_reservation_only(eligible: Organisation, buyer: User, catalogue: dict) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what is tested: PostgreSQL only (DATABASE_URL)")
    Product.objects.filter(sku="BT-LT-X1-N").update(stock=1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            barrier.wait()
            reserve(eligible, buyer, {"BT-LT-X1-N": 1})
            outcomes.append("reserved")
        except Conflict as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["out_of_stock", "reserved"]
    assert Product.objects.get(sku="BT-LT-X1-N").stock == 0
    with across_organisations():
        assert BuyTechOrder.objects.count() == 1
