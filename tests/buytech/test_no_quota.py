"""Buy Tech has no quota (issue 14, item 3): the stock is the only limit, as the article says.

The program's FAQ: "there is no limit on the number of products an organisation can get".
The old cap of 500 units per line is gone; a quantity above the stock is brought down to it,
with a message, and a reservation of more than the stock is refused under lock.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Organisation, User
from guichet.buytech import services
from guichet.buytech.models import Product
from guichet.core.errors import DomainError
from guichet.core.tenancy import tenant_scope

pytestmark = pytest.mark.django_db


def test_more_than_the_old_cap_can_be_reserved_when_it_is_in_stock(
    eligible: Organisation, buyer: User, catalogue: dict[str, Product], clock: Any
) -> None:
    Product.objects.filter(sku="BT-PH-A54-N").update(stock=750)
    with tenant_scope(eligible):
        order = services.order_reserve(actor=buyer, organisation=eligible, items={"BT-PH-A54-N": 600})
        assert order.lines.count() == 600
    assert Product.objects.get(sku="BT-PH-A54-N").stock == 150
    with tenant_scope(eligible), pytest.raises(DomainError) as short:
        services.order_reserve(actor=buyer, organisation=eligible, items={"BT-PH-A54-N": 151})
    assert short.value.code == "out_of_stock"


def test_the_cart_holds_up_to_the_stock_and_says_so(
    eligible: Organisation, buyer: User, catalogue: dict[str, Product]
) -> None:
    Product.objects.filter(sku="BT-PH-A54-N").update(stock=800)
    client = Client()
    client.force_login(buyer)
    cart = reverse("buytech:cart")
    client.post(cart, {"sku": "BT-PH-A54-N", "quantity": "700"})
    with tenant_scope(eligible):
        assert services.cart_of(buyer, eligible) == {"BT-PH-A54-N": 700}
    capped = client.post(cart, {"sku": "BT-PH-A54-N", "quantity": "5000"}, follow=True)
    with tenant_scope(eligible):
        assert services.cart_of(buyer, eligible) == {"BT-PH-A54-N": 800}
    assert "Only 800 of" in capped.content.decode() or "800" in capped.content.decode()
    page = client.get(cart).content.decode()
    assert 'max="800"' in page and 'max="500"' not in page
    assert client.post(cart, {"sku": "BT-PH-A54-N", "quantity": "-1"}).status_code == 400
