"""`{% sort_th %}` (core/templatetags/lists_ui.py) prints exactly what partials/sort_header.html does."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils import translation

CASES = [
    {"href": "?sort=number", "aria": "none", "label": "Number"},
    {"href": "?sort=-number&q=a%26b", "aria": "ascending", "label": "Numéro"},
    {"href": "?sort=number&status=open", "aria": "descending", "label": 'Tom & "Jerry" <b>'},
]


@pytest.mark.parametrize("language", ["en", "fr", "nl", "ro"])
@pytest.mark.parametrize("h", CASES)
@pytest.mark.parametrize("css", ["", "text-end"])
def test_the_tag_prints_the_partial(h, css, language) -> None:  # type: ignore[no-untyped-def]
    django = engines["django"]
    with translation.override(language):
        partial = django.from_string('{% include "partials/sort_header.html" %}').render({"h": h, "css": css})
        tag = django.from_string("{% load lists_ui %}{% sort_th h css %}").render({"h": h, "css": css})
    assert tag == partial.strip()
