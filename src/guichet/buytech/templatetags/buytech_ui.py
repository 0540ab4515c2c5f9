"""Presentation helpers for Buy Tech pages: money in the reader's locale, status badges, dates."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from guichet.core.money import format_money

register = template.Library()

_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_BE", "ro": "ro_RO"}

_STATE_CSS = {
    "ok": "text-bg-success",
    "at_risk": "text-bg-warning",
    "late": "text-bg-danger",
    "done": "text-bg-light border",
}


@register.filter
def money(amount: Decimal | int | None, currency: str = "EUR") -> str:
    if amount is None:
        return ""
    return format_money(Decimal(amount), currency or "EUR", _LOCALES.get(get_language() or "en", "en_BE"))


@register.filter
def state_css(state: str) -> str:
    return _STATE_CSS.get(state, "text-bg-secondary")


@register.filter
def spec_items(specifications: dict[str, object]) -> list[tuple[str, object]]:
    return sorted(specifications.items()) if isinstance(specifications, dict) else []
