"""The layout's links (header, footer): each reversed once per language, not on every page."""

from __future__ import annotations

from django import template

from guichet.core.rows import url_for

register = template.Library()


@register.simple_tag
def link(name: str) -> str:
    """`{% url name %}` for a view without arguments, from core.rows.url_for's cache."""
    return url_for(name)
