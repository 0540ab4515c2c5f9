"""After payment: shipments, deliveries, substitutions by a functional equivalent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F, Max, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import User
from guichet.core import audit
from guichet.core.errors import Conflict, DomainError
from guichet.orders.carriers import check_tracking_number, get_carrier

from .. import rules
from ..models import (
    BuyTechOrder,
    BuyTechShipment,
    LineStatus,
    OrderLine,
    OrderStatus,
    Product,
)
from . import clock
from .payment import agreements_signed
from .shared import lines_of, lock, tell


@transaction.atomic
def shipment_create(
    *,
    actor: User,
    order: BuyTechOrder,
    positions: Iterable[int],
    carrier: str,
    tracking_number: str,
    dispatched_on: date | None = None,
    http_request: HttpRequest | None = None,
) -> BuyTechShipment:
    order = lock(order)
    if order.status not in (OrderStatus.PAID, OrderStatus.SHIPPED):
        raise Conflict(_("An order ships after confirmation and full payment."), code="not_paid")
    if not agreements_signed(order):
        raise Conflict(_("Both agreements must be signed before the order ships."), code="agreements_unsigned")
    lines = lines_of(order, positions)
    if any(line.status != LineStatus.ACTIVE or line.shipment_id for line in lines):
        raise Conflict(_("Some items are already shipped or cancelled."), code="lines_unavailable")
    found = get_carrier(carrier)
    tracking = check_tracking_number(found, tracking_number)
    count = order.shipments.count() + 1
    shipment = BuyTechShipment.objects.create(
        organisation=order.organisation,
        order=order,
        number=f"{order.number}-S{count}",
        carrier=found.code,
        tracking_number=tracking,
        tracking_url=found.tracking_url(tracking),
        dispatched_on=dispatched_on or clock.today(),
    )
    OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(shipment=shipment)
    order.status = OrderStatus.SHIPPED
    order.save(update_fields=["status"])
    audit.record(
        "buytech.shipment_dispatched",
        actor=actor,
        organisation=order.organisation,
        target=shipment.number,
        request=http_request,
    )
    low, high = rules.DELIVERY_ESTIMATE_BUSINESS_DAYS
    tell(
        order,
        "buytech_shipment_dispatched",
        shipment=shipment.number,
        carrier=found.name,
        tracking_number=tracking,
        tracking_url=shipment.tracking_url,
        items=[line.description for line in lines],
        expected_from=clock.calendar().add_business_days(shipment.dispatched_on, low).isoformat(),
        expected_to=clock.calendar().add_business_days(shipment.dispatched_on, high).isoformat(),
    )
    return shipment


def settle_delivery(order: BuyTechOrder) -> None:
    """Delivered once every item still ordered has arrived; the day is the last arrival's."""
    active = order.lines.filter(status=LineStatus.ACTIVE)
    if (
        order.status != OrderStatus.SHIPPED
        or active.filter(Q(shipment__isnull=True) | Q(shipment__delivered_on__isnull=True)).exists()
    ):
        return
    order.status = OrderStatus.DELIVERED
    order.delivered_on = active.aggregate(last=Max("shipment__delivered_on"))["last"]
    order.save(update_fields=["status", "delivered_on"])


@transaction.atomic
def shipment_deliver(
    *,
    actor: User,
    shipment: BuyTechShipment,
    delivered_on: date | None = None,
    http_request: HttpRequest | None = None,
) -> BuyTechShipment:
    order = lock(shipment.order)
    shipment = BuyTechShipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.delivered_on is not None:
        raise Conflict(_("This shipment is already delivered."), code="already_delivered")
    day = delivered_on or clock.today()
    if day < shipment.dispatched_on:
        raise DomainError(_("A shipment cannot arrive before it left."), code="invalid_date")
    if day > clock.today():
        raise DomainError(_("A delivery is recorded once it has happened."), code="invalid_date")
    shipment.delivered_on = day
    shipment.save(update_fields=["delivered_on"])
    settle_delivery(order)
    audit.record(
        "buytech.shipment_delivered",
        actor=actor,
        organisation=order.organisation,
        target=shipment.number,
        request=http_request,
    )
    tell(
        order,
        "buytech_shipment_delivered",
        shipment=shipment.number,
        delivered_on=day.isoformat(),
        cancel_until=rules.cancellation_deadline(day).isoformat(),
        return_until=rules.return_deadline(day).isoformat(),
        warranty_until=rules.warranty_end(day).isoformat(),
    )
    return shipment


@transaction.atomic
def line_substitute(
    *,
    actor: User,
    order: BuyTechOrder,
    position: int,
    sku: str,
    note: str,
    http_request: HttpRequest | None = None,
) -> OrderLine:
    """The vendor replaces an item by a functionally equivalent device; the customer is told why."""
    order = lock(order)
    if order.is_cancelled or order.status == OrderStatus.DELIVERED:
        raise Conflict(_("This order can no longer change."), code="order_closed")
    (line,) = lines_of(order, [position])
    if line.status != LineStatus.ACTIVE or line.shipment_id:
        raise Conflict(_("Only an item not yet shipped can be substituted."), code="line_shipped")
    if not note.strip():
        raise DomainError(_("Say why the item is substituted."), code="note_required")
    product = Product.objects.select_for_update().filter(sku=sku, active=True).first()
    if product is None or product.pk == line.product_id:
        raise DomainError(_("Choose another product on offer."), code="unknown_product")
    original = line.product
    if not rules.is_functional_equivalent(
        original_kind=original.kind,
        original_score=original.functional_score,
        candidate_kind=product.kind,
        candidate_score=product.functional_score,
    ):
        raise DomainError(_("The substitute must be a functionally equivalent device."), code="not_equivalent")
    if product.stock < 1:
        raise Conflict(_("The substitute is out of stock."), code="out_of_stock")
    product.stock -= 1
    product.save(update_fields=["stock"])
    Product.objects.filter(pk=original.pk).update(stock=F("stock") + 1)
    line.substituted_from = line.description
    line.substitution_note = note.strip()[:500]
    line.product = product
    line.description = product.name
    line.save(update_fields=["substituted_from", "substitution_note", "product", "description"])
    audit.record(
        "buytech.line_substituted",
        actor=actor,
        organisation=order.organisation,
        target=order.number,
        data={"position": position, "from": original.sku, "to": product.sku},
        request=http_request,
    )
    tell(
        order,
        "buytech_substitution",
        original=line.substituted_from,
        substitute=product.name,
        note=line.substitution_note,
    )
    return line
