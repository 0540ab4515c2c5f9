"""My orders' rows, prepared once per row (issue 17; decision 0016): every string a cell prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from guichet.core.rows import day_text, labels, prepared_rows, url_for

from .models import OrderStatus
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


# What a row prints, read as columns (no model instance; the counts are selectors.orders_of's
# annotations); the id orders ties and pages (keyset).
COLUMNS = ("id", "number", "ordered_on", "purchase_order", "status", "line_count", "shipment_count")


@lru_cache(maxsize=2048)  # core.rows.prepared_rows: a row's columns and the language are all it prints
def _row(order: Any, language: str) -> OrderRow:
    return OrderRow(
        number=order.number,
        url=url_for("orders:detail", {"number": order.number}),
        ordered_iso=order.ordered_on.isoformat(),
        ordered=day_text(order.ordered_on),
        purchase_order=order.purchase_order,
        status=labels(OrderStatus).get(order.status, order.status),
        status_css=order_status_css(order.status),
        lines=order.line_count,
        parcels=order.shipment_count,
    )


def order_rows(page: Iterable[Any]) -> list[OrderRow]:
    """The rows of a page read as `COLUMNS` (`values_list(*COLUMNS, named=True)`), in the active language."""
    return prepared_rows(_row, page)
