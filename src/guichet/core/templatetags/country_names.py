"""`{{ code|country_name }}`: a country's name in the page's language."""

from __future__ import annotations

from django import template

from guichet.core.countries import country_name as _country_name

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    return _country_name(code) if code else ""
