"""Cart to order: devices reserved under lock, the order numbered, the fee asked for first."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation, User
from guichet.core import audit, numbering
from guichet.core.errors import Conflict, DomainError

from .. import rules
from ..models import (
    BuyTechOrder,
    OrderLine,
    Product,
)
from . import clock
from .eligibility import require_eligible
from .payment import PAYMENT_BENEFICIARY, PAYMENT_IBAN
from .shared import fee_reference, order_fees, order_price, price_reference, tell


def _next_sequence(year: int) -> int:
    """`2026000001`: the year, then a per-year value (`core.numbering`); number and payment reference derive from it."""
    return year * 1_000_000 + numbering.next_value(numbering.sequence_key("buytech", year))


@transaction.atomic
def order_reserve(
    *,
    actor: User,
    organisation: Organisation,
    items: dict[str, int],
    http_request: HttpRequest | None = None,
) -> BuyTechOrder:
    """Reserve the devices (stock locked and taken), number the order, send the instructions for the fee."""
    require_eligible(organisation)
    wanted = {sku: qty for sku, qty in items.items() if qty}
    if not wanted:
        raise DomainError(_("Your cart is empty."), code="empty_cart")
    # No quota (the program's FAQ): what is in stock is the only limit, checked below under lock.
    if any(qty < 0 for qty in wanted.values()):
        raise DomainError(_("Quantities must be at least 1."), code="invalid_quantity")
    # Locked in one order (by id) so two reservations of the same devices queue instead of deadlocking.
    locked = Product.objects.select_for_update().filter(sku__in=wanted, active=True).order_by("pk")
    products = {p.sku: p for p in locked}
    unknown = sorted(set(wanted) - set(products))
    if unknown:
        raise DomainError(_("Some products are not on offer."), code="unknown_product", details={"products": unknown})
    short = [sku for sku, qty in wanted.items() if products[sku].stock < qty]
    if short:
        raise Conflict(
            _("Not enough stock for: %(names)s.") % {"names": ", ".join(products[s].name for s in short)},
            code="out_of_stock",
            details={"products": short},
        )
    now = timezone.now()
    reserved_on = clock.today()
    sequence = _next_sequence(reserved_on.year)
    order = BuyTechOrder.objects.create(
        organisation=organisation,
        number=f"BT-{reserved_on.year}-{sequence % 1_000_000:06d}",
        sequence=sequence,
        ordered_by=actor,
        partner_id=organisation.partner_id,
        fee_reference=fee_reference(sequence),
        payment_reference=price_reference(sequence),
        reserved_at=now,
        reserved_on=reserved_on,
        processing_due=rules.processing_due(reserved_on),
    )
    position = 0
    for sku, qty in wanted.items():
        product = products[sku]
        product.stock -= qty
        product.save(update_fields=["stock"])
        for _unit in range(qty):
            position += 1
            OrderLine.objects.create(
                organisation=organisation,
                order=order,
                position=position,
                product=product,
                description=product.name,
                price=product.price,
                admin_fee=product.admin_fee,
            )
    audit.record(
        "buytech.order_reserved", actor=actor, organisation=organisation, target=order.number, request=http_request
    )
    tell(
        order,
        "buytech_order_reserved",
        fee=str(order_fees(order)),
        price=str(order_price(order)),
        currency=order.currency,
        iban=PAYMENT_IBAN,
        beneficiary=PAYMENT_BENEFICIARY,
        communication=order.fee_reference,
    )
    return order
