"""Presentation helpers for Buy Tech pages: status badges, specifications."""

from __future__ import annotations

from django import template

register = template.Library()

_STATE_CSS = {
    "ok": "text-bg-success",
    "at_risk": "text-bg-warning",
    "late": "text-bg-danger",
    "done": "text-bg-light border",
}


@register.filter
def state_css(state: str) -> str:
    return _STATE_CSS.get(state, "text-bg-secondary")


@register.filter
def spec_items(specifications: dict[str, object]) -> list[tuple[str, object]]:
    return sorted(specifications.items()) if isinstance(specifications, dict) else []
