"""Writes on orders: one transaction each, with timeline event, audit row and outbox e-mails."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Membership, Organisation, User
from guichet.core import audit, numbering
from guichet.core.calendar import today_for
from guichet.core.errors import Conflict, DomainError
from guichet.core.money import currency_for_country, round_money
from guichet.core.notifications.outbox import enqueue

from . import rules
from .carriers import check_tracking_number, get_carrier
from .errors import Code
from .models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    TrackingEvent,
)

MAX_LINES_PER_ORDER = 200
ORDER_NUMBER_FORMAT = "{country}-ORD-{year}-{n:04d}"


# --- numbers ---------------------------------------------------------------------------------


def next_number(country: str, year: int) -> str:
    """`BE-ORD-2026-0043`: per country and year (`core.numbering`); skips numbers imported as they were."""
    key = numbering.sequence_key("orders", country, year)
    while True:
        number = ORDER_NUMBER_FORMAT.format(country=country, year=year, n=numbering.next_value(key))
        if not Order.objects.filter(number=number).exists():
            return number


# --- helpers ---------------------------------------------------------------------------------


def _event(order: Order, kind: str, *, shipment: Shipment | None = None, status: str = "", **fields: Any) -> OrderEvent:
    return OrderEvent.objects.create(
        organisation=order.organisation, order=order, shipment=shipment, kind=kind, status=status, **fields
    )


def _portal_url(order: Order, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("orders:detail", kwargs={"number": order.number})


def recipients_of(order: Order) -> list[User]:
    """Who hears about a parcel: the person who placed the order and the organisation's admins."""
    people: dict[int, User] = {}
    if order.placed_by is not None and order.placed_by.is_active:
        people[order.placed_by.pk] = order.placed_by
    admins = User.objects.filter(
        is_active=True,
        memberships__organisation=order.organisation,
        memberships__role=Membership.Role.ADMIN,
    ).order_by("pk")
    for admin in admins:
        people.setdefault(admin.pk, admin)
    return list(people.values())


def _tell_customers(order: Order, shipment: Shipment) -> None:
    for person in recipients_of(order):
        language = person.language or order.organisation.language
        with translation.override(language):
            status_label = str(ShipmentStatus(shipment.status).label)
            order_status_label = str(OrderStatus(order.status).label)
        enqueue(
            to=person.email,
            language=language,
            template="order_shipment_update",
            context={
                "number": order.number,
                "first_name": person.first_name,
                "url": _portal_url(order, language),
                "status": shipment.status,
                "status_label": status_label,
                "order_status_label": order_status_label,
                "carrier": shipment.carrier_name,
                "tracking_number": shipment.tracking_number,
                "tracking_url": shipment.tracking_url_in(language),
                "location": shipment.location,
            },
            thread_key=order.number,
        )


def _recompute(order: Order, *, actor: User | None = None, at: datetime | None = None) -> str:
    """Line and order statuses from the parcels' quantities; an order that moves gets a timeline entry.

    An order's children are read through the plain manager (here and below): the order was
    found within its organisation already, and the tenant filter would make the database
    walk the organisation's index instead of the order's.
    """
    shipped_filter = Q(shipment_lines__shipment__status__in=rules.ON_THE_WAY)
    delivered_filter = Q(shipment_lines__shipment__status=rules.SHIP_DELIVERED)
    lines = list(
        OrderLine._base_manager.filter(order=order).annotate(
            shipped=Sum("shipment_lines__quantity", filter=shipped_filter, default=0),
            delivered=Sum("shipment_lines__quantity", filter=delivered_filter, default=0),
        )
    )
    quantities = []
    for line in lines:
        q = rules.LineQuantities(line.quantity, line.shipped, line.delivered, line.cancelled)
        quantities.append(q)
        status = rules.line_status(q)
        if status != line.status:
            OrderLine._base_manager.filter(pk=line.pk).update(status=status)
    status = rules.order_status(
        quantities,
        has_shipments=Shipment._base_manager.filter(order=order).exclude(status=rules.RETURNED).exists(),
        accepted=order.accepted_at is not None,
        cancelled=order.cancelled_at is not None,
    )
    if status != order.status:
        order.status = status
        order.updated_at = timezone.now()
        order.save(update_fields=["status", "updated_at"])
        _event(order, "order_status", status=status, actor=actor, at=at or timezone.now())
    return status


# --- orders ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineIn:
    product_code: str
    description: str
    quantity: int
    unit_price: Decimal = Decimal("0")


@transaction.atomic
def order_create(
    *,
    actor: User | None,
    organisation: Organisation,
    lines: Iterable[LineIn],
    purchase_order: str = "",
    ordered_on: date | None = None,
    currency: str = "",
    number: str = "",
    placed_by: User | None = None,
    http_request: HttpRequest | None = None,
) -> Order:
    """Record an order (placed in the portal, by an agent, or imported from the order system)."""
    lines = list(lines)
    if not lines:
        raise DomainError(_("An order needs at least one line."), code=Code.NO_LINES)
    if len(lines) > MAX_LINES_PER_ORDER:
        raise DomainError(_("An order has at most %(n)s lines.") % {"n": MAX_LINES_PER_ORDER}, code=Code.TOO_MANY_LINES)
    for line in lines:
        if line.quantity < 1:
            raise DomainError(_("Each line needs a quantity of at least 1."), code=Code.BAD_QUANTITY)
        if line.unit_price < 0:
            raise DomainError(_("A unit price cannot be negative."), code=Code.BAD_PRICE)
    currency = currency or currency_for_country(organisation.country)
    now = timezone.now()
    ordered_on = ordered_on or today_for(organisation)
    if number and Order.objects.filter(number=number).exists():
        raise Conflict(_("Order %(number)s already exists.") % {"number": number}, code=Code.DUPLICATE_NUMBER)
    order = Order.objects.create(
        organisation=organisation,
        number=number or next_number(organisation.country, ordered_on.year),
        ordered_on=ordered_on,
        currency=currency,
        purchase_order=purchase_order.strip()[:40],
        placed_by=placed_by if placed_by is not None else actor,
        created_at=now,
        updated_at=now,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            organisation=organisation,
            order=order,
            position=index,
            product_code=line.product_code.strip()[:40],
            description=line.description.strip()[:200],
            quantity=line.quantity,
            unit_price=round_money(line.unit_price, currency),
        )
        for index, line in enumerate(lines, start=1)
    )
    at = datetime.combine(ordered_on, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    _event(order, "placed", status=rules.PLACED, actor=actor, at=min(at, now) if ordered_on < now.date() else now)
    audit.record("order.created", actor=actor, organisation=organisation, target=order.number, request=http_request)
    return order


# --- shipments -------------------------------------------------------------------------------


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("organisation", "placed_by").get(pk=order.pk)


@transaction.atomic
def shipment_add(
    *,
    actor: User | None,
    order: Order,
    carrier: str,
    tracking_number: str,
    quantities: Mapping[int, int],
    http_request: HttpRequest | None = None,
) -> Shipment:
    """A parcel of the order: the carrier, its tracking number, and how many of each line it holds."""
    order = _locked(order)
    if order.status == OrderStatus.CANCELLED:
        raise Conflict(_("This order is cancelled."), code=Code.ORDER_CANCELLED)
    found = get_carrier(carrier)
    number = check_tracking_number(found, tracking_number)
    if Shipment.objects.filter(carrier=found.code, tracking_number=number).exists():
        raise Conflict(
            _("A parcel with this tracking number is already recorded."), code=Code.DUPLICATE_TRACKING_NUMBER
        )
    wanted = {int(pk): int(qty) for pk, qty in quantities.items() if int(qty) != 0}
    if not wanted:
        raise DomainError(_("Put at least one item in the parcel."), code=Code.EMPTY_SHIPMENT)
    lines = {
        line.pk: line
        for line in OrderLine._base_manager.filter(order=order, pk__in=list(wanted)).annotate(
            in_parcels=Sum(
                "shipment_lines__quantity",
                filter=Q(shipment_lines__shipment__status__in=rules.IN_PARCELS),
                default=0,
            )
        )
    }
    for pk, quantity in wanted.items():
        line = lines.get(pk)
        if line is None:
            raise DomainError(_("This line is not part of the order."), code=Code.UNKNOWN_LINE, details={"line": pk})
        if line.cancelled or not rules.may_ship(line.quantity, line.in_parcels, quantity):
            raise DomainError(
                _("%(product)s: at most %(left)s more can be shipped.")
                % {"product": line.product_code, "left": max(line.quantity - line.in_parcels, 0)},
                code=Code.TOO_MANY_SHIPPED,
                details={"line": pk},
            )
    shipment = Shipment.objects.create(
        organisation=order.organisation, order=order, carrier=found.code, tracking_number=number
    )
    ShipmentLine.objects.bulk_create(
        ShipmentLine(organisation=order.organisation, shipment=shipment, order_line=lines[pk], quantity=quantity)
        for pk, quantity in wanted.items()
    )
    _event(order, "shipment_added", shipment=shipment, status=shipment.status, actor=actor)
    _recompute(order, actor=actor)
    audit.record(
        "order.shipment_added",
        actor=actor,
        organisation=order.organisation,
        target=order.number,
        data={"carrier": found.code, "tracking_number": number},
        request=http_request,
    )
    return shipment


@dataclass(frozen=True)
class EventOutcome:
    duplicate: bool
    applied: bool
    shipment: Shipment
    order: Order


@transaction.atomic
def shipment_record_event(
    *,
    actor: User | None,
    shipment: Shipment,
    event_id: str,
    status: str,
    occurred_at: datetime,
    location: str = "",
    source: str = "",
    raw: dict[str, Any] | None = None,
    http_request: HttpRequest | None = None,
) -> EventOutcome:
    """A status a carrier (webhook) or an agent (console) reports for a parcel; once per event id.

    The same event id again changes nothing and tells no one. A report older than
    the parcel's current status goes on record but does not move it back.
    """
    if status not in ShipmentStatus.values:
        raise DomainError(
            _("Unknown shipment status."), code=Code.UNKNOWN_STATUS, details={"allowed": ShipmentStatus.values}
        )
    # A carrier's clock ahead of ours must not make every later (true) report look older.
    occurred_at = min(occurred_at, timezone.now())
    order = _locked(shipment.order)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    existing = TrackingEvent.objects.filter(event_id=event_id).first()
    if existing is not None:
        if existing.shipment_id != shipment.pk:
            raise Conflict(_("This event id was already used for another parcel."), code=Code.EVENT_ID_REUSED)
        return EventOutcome(duplicate=True, applied=existing.applied, shipment=shipment, order=order)
    applied = rules.event_changes_status(shipment.status, shipment.status_at, status, occurred_at)
    try:
        with transaction.atomic():
            TrackingEvent.objects.create(
                organisation=order.organisation,
                shipment=shipment,
                event_id=event_id,
                status=status,
                occurred_at=occurred_at,
                location=location[:120],
                source=source[:64],
                applied=applied,
                raw=raw or {},
            )
    except IntegrityError:  # the same event, delivered twice at once: the other one applies it
        return EventOutcome(duplicate=True, applied=False, shipment=shipment, order=order)
    if not applied:
        return EventOutcome(duplicate=False, applied=False, shipment=shipment, order=order)
    shipment.status = status
    shipment.status_at = occurred_at
    shipment.location = location[:120]
    fields = ["status", "status_at", "location"]
    if rules.counts_as_shipped(status) and shipment.dispatched_at is None:
        shipment.dispatched_at = occurred_at
        fields.append("dispatched_at")
    if status == rules.SHIP_DELIVERED:
        shipment.delivered_at = occurred_at
        fields.append("delivered_at")
    shipment.save(update_fields=fields)
    _event(
        order, "shipment_status", shipment=shipment, status=status, location=location[:120], actor=actor, at=occurred_at
    )
    _recompute(order, actor=actor, at=occurred_at)
    audit.record(
        "order.shipment_status",
        actor=actor,
        actor_label=source if actor is None else "",
        organisation=order.organisation,
        target=order.number,
        data={"tracking_number": shipment.tracking_number, "status": status, "event_id": event_id},
        request=http_request,
    )
    if status in rules.NOTIFIED_STATUSES:
        _tell_customers(order, shipment)
    return EventOutcome(duplicate=False, applied=True, shipment=shipment, order=order)


@transaction.atomic
def order_accept(*, actor: User | None, order: Order, http_request: HttpRequest | None = None) -> Order:
    """The vendor confirmed the order: it is being processed."""
    order = _locked(order)
    if order.accepted_at is None:
        order.accepted_at = timezone.now()
        order.save(update_fields=["accepted_at"])
        _recompute(order, actor=actor)
        audit.record(
            "order.accepted", actor=actor, organisation=order.organisation, target=order.number, request=http_request
        )
    return order


@transaction.atomic
def order_cancel(*, actor: User | None, order: Order, http_request: HttpRequest | None = None) -> Order:
    """Cancel an order none of whose parcels has left yet."""
    order = _locked(order)
    if order.status == OrderStatus.CANCELLED:
        return order
    if Shipment._base_manager.filter(order=order, status__in=rules.ON_THE_WAY).exists():
        raise Conflict(_("Parcels of this order have already left; it can no longer be cancelled."), code=Code.SHIPPED)
    order.cancelled_at = timezone.now()
    order.save(update_fields=["cancelled_at"])
    _recompute(order, actor=actor)
    audit.record(
        "order.cancelled", actor=actor, organisation=order.organisation, target=order.number, request=http_request
    )
    return order
