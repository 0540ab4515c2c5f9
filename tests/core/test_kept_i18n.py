"""core/templatetags/kept_i18n.py: its `translate` prints what Django's prints, in every language
and escaping, each constant text kept per language; anything else stays Django's node."""

from __future__ import annotations

import pytest
from django.template import Context, engines
from django.templatetags.i18n import TranslateNode
from django.utils import translation

from guichet.core.templatetags.kept_i18n import KeptTranslateNode

TEXT = (
    '{% translate "Description" %}|{% translate "50%% off" %}|{% translate word %}|'
    '{% translate "May" context "month name" %}|{% translate "Send" as sent %}{{ sent }}|'
    '{% translate "Loading…" %}|{% translate "Don\'t" %}|{% translate "Send"|upper %}|{% translate "Send" noop %}'
)


@pytest.mark.parametrize("autoescape", [True, False])
def test_the_same_text_as_djangos_in_each_language(autoescape: bool) -> None:
    engine = engines["django"].engine
    kept = engine.from_string("{% load i18n kept_i18n %}" + TEXT)
    django = engine.from_string("{% load i18n %}" + TEXT)
    for language in ("en", "fr", "nl", "ro", "fr", "en"):  # again: now printed from what was kept
        with translation.override(language):
            context = {"word": "Description<b>"}
            printed = kept.render(Context(context, autoescape=autoescape))
            assert printed == django.render(Context(context, autoescape=autoescape))
        assert ("Envoyer" in printed) is (language == "fr")
    nodes = [type(node) for node in kept.nodelist if isinstance(node, TranslateNode)]
    # Kept: the quoted texts alone (with noop); a variable, a context, `as` or a filter: Django's node.
    assert nodes == [
        KeptTranslateNode,
        KeptTranslateNode,
        TranslateNode,
        TranslateNode,
        TranslateNode,
        KeptTranslateNode,
        KeptTranslateNode,
        TranslateNode,
        KeptTranslateNode,
    ]
