"""`{% sort_th h %}`: a list's sortable column header, written in Python (issue 17).

Exactly what `{% include "partials/sort_header.html" with h=… css=… %}` prints (the partial stays
for the worklists; `tests/core/test_sort_th.py` compares the two): a link, so keyboards and screen
readers reach it, and `aria-sort` on the `<th>`. An include costs ~150 µs per column on a list page
(a new context, the partial's nodes); this tag ~10 µs.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

_ARROWS = {"ascending": ' <span aria-hidden="true">▲</span>', "descending": ' <span aria-hidden="true">▼</span>'}


@register.simple_tag
def sort_th(h: dict[str, str], css: str = "") -> SafeString:
    """`h` is one column of `listing.header_links` (`sort.<column>` in a list's context)."""
    aria = h["aria"]
    hint = _("(sorted ascending; activate to sort descending)") if aria == "ascending" else _("(activate to sort)")
    css_attr = f' class="{conditional_escape(css)}"' if css else ""
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<th scope="col" aria-sort="{conditional_escape(aria)}"{css_attr}>'
        f'<a class="link-body-emphasis text-decoration-none" href="{conditional_escape(h["href"])}" data-sort-link>'
        f"{conditional_escape(h['label'])}{_ARROWS.get(aria, '')}"
        f'<span class="visually-hidden">{conditional_escape(hint)}</span></a></th>'
    )
