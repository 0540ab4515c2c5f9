"""Presentation helpers for order pages: status badges."""

from __future__ import annotations

from django import template

from .. import rules

register = template.Library()

# Colours only reinforce the label, which always carries the meaning.
_CSS = {
    rules.PLACED: "text-bg-secondary",
    rules.PROCESSING: "text-bg-info",
    rules.PARTIALLY_SHIPPED: "text-bg-primary",
    rules.SHIPPED: "text-bg-primary",
    rules.PARTIALLY_DELIVERED: "text-bg-success",
    rules.DELIVERED: "text-bg-success",
    rules.CANCELLED: "text-bg-dark",
    rules.LABEL_CREATED: "text-bg-secondary",
    rules.IN_TRANSIT: "text-bg-primary",
    rules.OUT_FOR_DELIVERY: "text-bg-info",
    rules.EXCEPTION: "text-bg-warning",
    rules.RETURNED: "text-bg-dark",
}

# Fill colours of the chart's points (contrast ≥ 3:1 on white, as graphics need).
_FILL = {
    rules.SHIP_DELIVERED: "#146c43",
    rules.EXCEPTION: "#997404",
    rules.RETURNED: "#212529",
    rules.OUT_FOR_DELIVERY: "#087990",
    rules.IN_TRANSIT: "#0a58ca",
}


@register.filter
def order_status_css(value: str) -> str:
    return _CSS.get(value, "text-bg-secondary")


@register.filter
def point_fill(value: str) -> str:
    return _FILL.get(value, "#495057")
