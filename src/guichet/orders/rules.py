"""Order and shipment policy, pure: statuses derived from quantities, which carrier event wins.

No ORM here: plain values in, plain values out (tested with hypothesis).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# --- order statuses -------------------------------------------------------------------------
PLACED = "placed"
PROCESSING = "processing"
PARTIALLY_SHIPPED = "partially_shipped"
SHIPPED = "shipped"
PARTIALLY_DELIVERED = "partially_delivered"
DELIVERED = "delivered"
CANCELLED = "cancelled"
ORDER_STATUSES = (PLACED, PROCESSING, PARTIALLY_SHIPPED, SHIPPED, PARTIALLY_DELIVERED, DELIVERED, CANCELLED)
OPEN_ORDER_STATUSES = frozenset({PLACED, PROCESSING, PARTIALLY_SHIPPED, SHIPPED, PARTIALLY_DELIVERED})

# --- shipment statuses ------------------------------------------------------------------------
LABEL_CREATED = "label_created"
IN_TRANSIT = "in_transit"
OUT_FOR_DELIVERY = "out_for_delivery"
EXCEPTION = "exception"
SHIP_DELIVERED = "delivered"
RETURNED = "returned"
SHIPMENT_STATUSES = (LABEL_CREATED, IN_TRANSIT, OUT_FOR_DELIVERY, EXCEPTION, SHIP_DELIVERED, RETURNED)
# A parcel is on its way (its quantities count as shipped) from the carrier's first scan on.
ON_THE_WAY = frozenset({IN_TRANSIT, OUT_FOR_DELIVERY, EXCEPTION, SHIP_DELIVERED})
# Quantities in a parcel count against the order line unless the parcel came back.
IN_PARCELS = frozenset(SHIPMENT_STATUSES) - {RETURNED}
# Statuses whose arrival the customer is told about by e-mail.
NOTIFIED_STATUSES = frozenset({IN_TRANSIT, OUT_FOR_DELIVERY, EXCEPTION, SHIP_DELIVERED, RETURNED})

# --- webhook ---------------------------------------------------------------------------------
WEBHOOK_TOLERANCE = timedelta(minutes=5)  # signed timestamps older or newer than this are replays


@dataclass(frozen=True)
class LineQuantities:
    ordered: int
    shipped: int  # in parcels on their way or delivered
    delivered: int
    cancelled: bool = False


def line_status(line: LineQuantities) -> str:
    if line.cancelled:
        return CANCELLED
    if line.ordered > 0 and line.delivered >= line.ordered:
        return DELIVERED
    if line.delivered > 0:
        return PARTIALLY_DELIVERED
    if line.ordered > 0 and line.shipped >= line.ordered:
        return SHIPPED
    if line.shipped > 0:
        return PARTIALLY_SHIPPED
    return PLACED


def order_status(lines: Iterable[LineQuantities], *, has_shipments: bool, accepted: bool, cancelled: bool) -> str:
    """The order's status from its lines' quantities.

    Cancelled lines do not count; an order whose every line is cancelled (or that
    was cancelled as a whole) is cancelled. Before any parcel leaves, an order the
    vendor accepted or that has a parcel being prepared is processing.
    """
    active = [line for line in lines if not line.cancelled]
    if cancelled or not active:
        return CANCELLED
    ordered = sum(line.ordered for line in active)
    shipped = sum(min(line.shipped, line.ordered) for line in active)
    delivered = sum(min(line.delivered, line.ordered) for line in active)
    if delivered >= ordered:
        return DELIVERED
    if delivered > 0:
        return PARTIALLY_DELIVERED
    if shipped >= ordered:
        return SHIPPED
    if shipped > 0:
        return PARTIALLY_SHIPPED
    if has_shipments or accepted:
        return PROCESSING
    return PLACED


def may_ship(ordered: int, already_in_parcels: int, quantity: int) -> bool:
    """A line never goes out in parcels for more than was ordered, all parcels together."""
    return quantity > 0 and already_in_parcels + quantity <= ordered


def counts_as_shipped(status: str) -> bool:
    return status in ON_THE_WAY


def event_changes_status(current: str, current_at: datetime | None, new: str, new_at: datetime) -> bool:
    """Whether a carrier event moves the shipment to `new`.

    Carriers deliver events late and out of order: an event older than the one the
    shipment already shows is kept on the timeline but does not move it back. A
    delivered parcel only moves on to returned; a returned one no longer moves.
    """
    if new == current:
        return False
    if current_at is not None and new_at < current_at:
        return False
    if current == RETURNED:
        return False
    if current == SHIP_DELIVERED:
        return new == RETURNED
    return True


def timestamp_fresh(sent_at: datetime, now: datetime, tolerance: timedelta = WEBHOOK_TOLERANCE) -> bool:
    return abs(now - sent_at) <= tolerance


def occurred_plausibly(occurred_at: datetime, now: datetime, tolerance: timedelta = WEBHOOK_TOLERANCE) -> bool:
    """An event dated ahead of our clock by more than the clocks' drift would outrank the real ones."""
    return occurred_at <= now + tolerance
