"""`{% translate %}` with each constant text printed once per language, for the pages viewed most
(the request pages load it today).

Loaded after `i18n` (`{% load i18n kept_i18n %}`), its `translate` replaces Django's in that template
only: the same parsing (`do_translate`, so `makemessages` finds the texts as before) and, for a
quoted text without filters, variable or context, the same output, kept on the node per language
and escaping. Django's node builds a lazy translation and renders it at every view: ~30 of them on
an agent's request page, ≈0.5 ms of its CPU (bench/README.md, "The request pages, third pass").
Any other use (a variable, a filter, `as`, a context) is Django's node unchanged.
"""

from __future__ import annotations

from django import template
from django.template import Context
from django.template.base import FilterExpression, Parser, Token
from django.templatetags.i18n import TranslateNode, do_translate
from django.utils import translation

register = template.Library()


def _constant(expression: FilterExpression | None) -> bool:
    return expression is None or (not expression.filters and getattr(expression.var, "literal", None) is not None)


class KeptTranslateNode(TranslateNode):
    def __init__(self, node: TranslateNode) -> None:
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        self.printed: dict[tuple[str | None, bool], str] = {}

    def render(self, context: Context) -> str:
        key = (translation.get_language(), context.autoescape)
        printed = self.printed.get(key)
        if printed is None:
            printed = self.printed[key] = super().render(context)
        return printed


@register.tag("translate")
def kept_translate(parser: Parser, token: Token) -> TranslateNode:
    node = do_translate(parser, token)
    if node.asvar is None and _constant(node.filter_expression) and _constant(node.message_context):
        return KeptTranslateNode(node)
    return node
