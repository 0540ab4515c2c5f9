"""core/templatetags/layout_ui.py `{% link %}`: what `{% url %}` prints, with or without arguments,
from core.rows.url_for's cache (the request pages' links)."""

from __future__ import annotations

import pytest
from django.template import Context, engines
from django.utils import translation


@pytest.mark.parametrize(
    ("link", "url"),
    [
        ("'support_console:queue'", "'support_console:queue'"),
        ("'support_console:reply' number=number", "'support_console:reply' number"),
        ("'support:attachment' number=number pk=7", "'support:attachment' number 7"),
        ("'console:organisation' customer_number=number", "'console:organisation' number"),
    ],
)
def test_the_same_link_as_url(link: str, url: str) -> None:
    engine = engines["django"].engine
    ours = engine.from_string("{% load layout_ui %}{% link " + link + " %}")
    djangos = engine.from_string("{% url " + url + " %}")
    for language in ("en", "fr", "nl", "ro"):
        # A number as they are, then a text `reverse()` escapes (url_for hands it to reverse).
        for number in ("BE-2026-000042", "RO-9", "a b é&x"):
            with translation.override(language):
                context = {"number": number}
                assert ours.render(Context(context)) == djangos.render(Context(context))
