"""Template helpers for billing pages: status badges."""

from __future__ import annotations

from datetime import date

from django import template

from .. import rules
from ..models import Method, Status

register = template.Library()

STATUS_CSS = {
    rules.OPEN: "text-bg-primary",
    rules.PARTIALLY_PAID: "text-bg-info",
    rules.PAID: "text-bg-success",
    rules.OVERDUE: "text-bg-danger",
    rules.DISPUTED: "text-bg-warning",
    rules.CANCELLED: "text-bg-secondary",
}


@register.filter
def status_css(value: str) -> str:
    return STATUS_CSS.get(value, "text-bg-secondary")


@register.filter
def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


@register.filter
def method_label(value: str) -> str:
    try:
        return str(Method(value).label)
    except ValueError:
        return value


@register.simple_tag
def invoice_status(invoice: object, today: date) -> str:
    return invoice.current_status(today)  # type: ignore[attr-defined]
