"""Presentation helpers for order pages: status badges and money in the organisation's locale."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation

from guichet.accounts.models import Organisation
from guichet.core.money import format_money, locale_for

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


@register.simple_tag
def money(amount: Decimal | int, currency: str, organisation: Organisation) -> str:
    """The amount as the organisation's people write it, in the language the page is in."""
    return format_money(amount, currency, locale_for(translation.get_language() or "en", organisation.country))


@register.filter
def centre_timezone(organisation: Organisation | None) -> str:
    """The time zone of the organisation's support centre, in which its dates are shown."""
    from guichet.core.countries import get_centre

    return "UTC" if organisation is None else str(get_centre(organisation.country).timezone)
