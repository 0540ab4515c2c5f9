"""The cart is kept per person and organisation in the database: it survives logout; checkout re-checks prices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Membership, Organisation, User
from guichet.buytech import services
from guichet.buytech.models import BuyTechOrder, Product
from guichet.core.tenancy import across_organisations, tenant_scope
from tests.accounts.factories import grant_all, make_member

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_cart_survives_logout_and_a_new_session(eligible: Organisation, buyer: User, catalogue: dict) -> None:
    client = signed_in(buyer)
    client.post(reverse("buytech:cart"), {"sku": "BT-LT-T14-N", "quantity": "2", "mode": "add"})
    client.post(reverse("account_logout"))
    again = signed_in(buyer)  # another browser, another session
    rows = again.get(reverse("buytech:cart")).context["rows"]
    assert [(product.sku, quantity) for product, quantity, _subtotal in rows] == [("BT-LT-T14-N", 2)]


def test_the_cart_is_the_persons_and_the_organisations(eligible: Organisation, buyer: User, catalogue: dict) -> None:
    colleague = make_member(eligible)
    grant_all(colleague, eligible)
    signed_in(buyer).post(reverse("buytech:cart"), {"sku": "BT-LT-T14-N", "quantity": "1"})
    assert signed_in(colleague).get(reverse("buytech:cart")).context["rows"] == []
    other = Organisation.objects.create(customer_number="BE-CART-2", name="Other", country="BE", is_nonprofit=True)
    Membership.objects.create(user=buyer, organisation=other, role="admin")
    with tenant_scope(other):
        assert services.cart_of(buyer, other) == {}
    with tenant_scope(eligible):
        assert services.cart_of(buyer, eligible) == {"BT-LT-T14-N": 1}


def test_checkout_stops_when_a_price_changed_then_goes_through(
    eligible: Organisation, buyer: User, catalogue: dict
) -> None:
    client = signed_in(buyer)
    client.post(reverse("buytech:cart"), {"sku": "BT-LT-T14-N", "quantity": "1"})
    Product.objects.filter(sku="BT-LT-T14-N").update(price=Decimal("999.00"))
    stopped = client.post(reverse("buytech:checkout"), follow=True)
    body = stopped.content.decode()
    assert stopped.redirect_chain[-1][0] == reverse("buytech:cart")
    assert "changed from" in body and "€999" in body and "reserve again" in body
    with across_organisations():
        assert not BuyTechOrder.objects.exists()
    done = client.post(reverse("buytech:checkout"))  # the person saw the new price: now it goes through
    assert done.status_code == 303 and "/orders/" in done["Location"]
    with across_organisations():
        order = BuyTechOrder.objects.get()
        assert order.lines.get().price == Decimal("999.00")
    with tenant_scope(eligible):
        assert services.cart_of(buyer, eligible) == {}


def test_checkout_takes_out_a_device_no_longer_on_offer(eligible: Organisation, buyer: User, catalogue: dict) -> None:
    client = signed_in(buyer)
    client.post(reverse("buytech:cart"), {"sku": "BT-LT-T14-N", "quantity": "1"})
    client.post(reverse("buytech:cart"), {"sku": "BT-PH-A54-N", "quantity": "1"})
    Product.objects.filter(sku="BT-PH-A54-N").update(active=False)
    body = client.post(reverse("buytech:checkout"), follow=True).content.decode()
    assert "is no longer on offer" in body
    with tenant_scope(eligible):
        assert services.cart_of(buyer, eligible) == {"BT-LT-T14-N": 1}
    with across_organisations():
        assert not BuyTechOrder.objects.exists()


def test_orders_sort_and_export(eligible: Organisation, buyer: User, catalogue: dict) -> None:
    from .conftest import reserve

    first = reserve(eligible, buyer, {"BT-LT-T14-N": 1})
    second = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    client = signed_in(buyer)
    page = client.get(reverse("buytech:home"), {"sort": "number"}).content.decode()
    assert page.index(first.number) < page.index(second.number) and 'aria-sort="ascending"' in page
    assert client.get(reverse("buytech:home"))["Location"].endswith("?sort=number")  # remembered
    response = client.get(reverse("buytech:home"), {"sort": "-number", "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.index(second.number) < text.index(first.number) and text.startswith("Number,")
