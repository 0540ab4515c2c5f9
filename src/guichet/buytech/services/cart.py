"""The cart: kept per person and organisation in the database (it survives logout), re-checked at checkout.

Prices can change and devices can leave the offer while something waits in a cart. Checkout first
compares what the person saw with what is on offer now; on any difference the cart is brought up
to date and nothing is reserved: the person sees what changed and decides again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation, User
from guichet.core.money import format_money
from guichet.core.templatetags.locale_ui import active_locale

from ..models import CartItem, Product


@dataclass(frozen=True)
class CartLine:
    product: Product
    quantity: int
    subtotal: Decimal


@dataclass(frozen=True)
class CartChanges:
    """What changed since the items went into the cart: (name, was, now) prices, and names gone."""

    repriced: list[tuple[str, Decimal, Decimal]]
    gone: list[str]
    currency: str = "EUR"

    def __bool__(self) -> bool:
        return bool(self.repriced or self.gone)

    def messages(self) -> list[str]:
        def money(amount: Decimal) -> str:
            return format_money(amount, self.currency, active_locale(self.currency))

        said = [
            _("The price of %(name)s, administrative fee included, changed from %(was)s to %(now)s.")
            % {"name": name, "was": money(was), "now": money(now)}
            for name, was, now in self.repriced
        ]
        said += [
            _("%(name)s is no longer on offer and was taken out of your cart.") % {"name": name} for name in self.gone
        ]
        return said


def _items(user: User, organisation: Organisation) -> QuerySet[CartItem]:
    return CartItem.objects.filter(organisation=organisation, user=user).select_related("product")


def cart_of(user: User, organisation: Organisation) -> dict[str, int]:
    """SKU → quantity, of the devices still on offer."""
    return {i.product.sku: i.quantity for i in _items(user, organisation).order_by("pk") if i.product.active}


def cart_lines(user: User, organisation: Organisation) -> tuple[list[CartLine], Decimal]:
    lines = [
        CartLine(i.product, i.quantity, i.product.total * i.quantity)
        for i in _items(user, organisation).order_by("pk")
        if i.product.active
    ]
    return lines, sum((line.subtotal for line in lines), Decimal(0))


def cart_count(user: User, organisation: Organisation) -> int:
    return sum(cart_of(user, organisation).values())


@transaction.atomic
def cart_set(*, user: User, organisation: Organisation, product: Product, quantity: int) -> None:
    """Hold `quantity` of `product` (0 takes it out), at the price shown now."""
    if quantity <= 0:
        CartItem.objects.filter(organisation=organisation, user=user, product=product).delete()
        return
    CartItem.objects.update_or_create(
        organisation=organisation,
        user=user,
        product=product,
        defaults={"quantity": quantity, "unit_total": product.total},
    )


def cart_clear(*, user: User, organisation: Organisation) -> None:
    CartItem.objects.filter(organisation=organisation, user=user).delete()


@transaction.atomic
def cart_recheck(*, user: User, organisation: Organisation) -> CartChanges:
    """Compare the cart with today's offer; bring it up to date and say what changed."""
    repriced: list[tuple[str, Decimal, Decimal]] = []
    gone: list[str] = []
    currency = "EUR"
    for item in _items(user, organisation).select_for_update(of=("self",)):
        product = item.product
        if not product.active:
            gone.append(product.name)
            item.delete()
        elif product.total != item.unit_total:
            currency = product.currency
            repriced.append((product.name, item.unit_total, product.total))
            item.unit_total = product.total
            item.save(update_fields=["unit_total"])
    return CartChanges(repriced, gone, currency)
