"""Presentation helpers for contract pages: status badges."""

from __future__ import annotations

from django import template

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
