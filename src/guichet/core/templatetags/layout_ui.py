"""The layout's header and footer (core/layout.py) and their links, each reversed once per language."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from guichet.core.layout import assets_html, footer_html, header_html, messages_html
from guichet.core.rows import url_for

register = template.Library()


@register.simple_tag
def link(name: str, **kwargs: Any) -> str:
    """`{% url name %}`, or `{% url name key=value … %}`, from core.rows.url_for's cache (one
    `reverse()` per view, its arguments and language; a value other than letters, digits and `_.~-`
    is reversed as `{% url %}` would)."""
    return url_for(name, kwargs or None)


@register.simple_tag(takes_context=True)
def layout_header(context: Context) -> SafeString:
    """partials/header.html, kept once printed per language, reader's kind, menus and organisations."""
    return header_html(context)


@register.simple_tag(takes_context=True)
def layout_footer(context: Context) -> SafeString:
    """partials/footer.html, kept once printed per language, support centre and its state."""
    return footer_html(context)


@register.simple_tag
def layout_assets() -> SafeString:
    """partials/assets.html, printed once per process."""
    return assets_html()


@register.simple_tag(takes_context=True)
def layout_messages(context: Context) -> SafeString:
    """partials/messages.html, only when there is a message to show."""
    return messages_html(context)
