"""My orders' rows, prepared once per row (issue 17; decision 0016): every string a cell prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from guichet.core.rows import day_text, labels, url_for

from .models import Order, OrderStatus
from .templatetags.orders_ui import order_status_css


@dataclass(frozen=True, slots=True)
class OrderRow:
    number: str
    url: str
    ordered_iso: str
    ordered: str
    purchase_order: str  # "" when none was given
    status: str
    status_css: str
    lines: int
    parcels: int


def order_rows(page: Iterable[Order]) -> list[OrderRow]:
    """The rows in the active language; `line_count` and `shipment_count` are selectors.orders_of's annotations."""
    statuses = labels(OrderStatus)
    return [
        OrderRow(
            number=order.number,
            url=url_for("orders:detail", {"number": order.number}),
            ordered_iso=order.ordered_on.isoformat(),
            ordered=day_text(order.ordered_on),
            purchase_order=order.purchase_order,
            status=statuses.get(order.status, order.status),
            status_css=order_status_css(order.status),
            lines=getattr(order, "line_count", 0),
            parcels=getattr(order, "shipment_count", 0),
        )
        for order in page
    ]
