"""Presentation helpers for contract pages: status badges and amounts in the reader's locale."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation

from guichet.core.money import format_money, locale_for

register = template.Library()

# Colours only reinforce the label, which always carries the meaning.
_STATUS_CSS = {
    "draft": "text-bg-light border",
    "awaiting_signature": "text-bg-warning",
    "active": "text-bg-success",
    "terminated": "text-bg-dark",
    "expired": "text-bg-secondary",
    "pending": "text-bg-warning",
    "accepted": "text-bg-info",
    "effective": "text-bg-dark",
    "refused": "text-bg-danger",
    "withdrawn": "text-bg-light border",
}


@register.filter
def contract_status_css(value: str) -> str:
    return _STATUS_CSS.get(value, "text-bg-secondary")


@register.simple_tag
def money(amount: Decimal, currency: str, country: str) -> str:
    return format_money(amount, currency, locale_for(translation.get_language() or "en", country))
