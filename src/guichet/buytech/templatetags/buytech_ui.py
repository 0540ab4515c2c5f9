"""Presentation helpers for Buy Tech pages: status badges, specifications."""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_decimal
from django import template
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# The catalogue's specification names, in the reader's language; a name not listed is shown as typed.
SPEC_NAMES = {
    "CPU": gettext_lazy("Processor"),
    "RAM": gettext_lazy("Memory"),
    "SSD": gettext_lazy("SSD"),
    "storage": gettext_lazy("Storage"),
    "screen": gettext_lazy("Screen"),
    "resolution": gettext_lazy("Resolution"),
    "5G": gettext_lazy("5G"),
}
_MEASURE = re.compile(r"(?P<size>\d+(?:\.\d+)?) (?P<unit>in|GB|TB)")
_YES_NO = {"yes": gettext_lazy("yes"), "no": gettext_lazy("no")}


def _unit(size: str, unit: str) -> str:
    # One message per unit: French writes "Go"/"To" and "pouces", Dutch "inch", Romanian "inci".
    if unit == "in":
        return _("%(size)s in") % {"size": size}
    if unit == "GB":
        return _("%(size)s GB") % {"size": size}
    return _("%(size)s TB") % {"size": size}


def spec_value(value: object) -> str:
    """ "14 in" → "14 pouces", "10.9 in" → "10,9 pouces", "yes" → "oui"; anything else as typed."""
    text = str(value)
    if text in _YES_NO:
        return str(_YES_NO[text])
    measure = _MEASURE.fullmatch(text)
    if measure is None:
        return text
    size = format_decimal(Decimal(measure["size"]), locale=translation.to_locale(translation.get_language() or "en"))
    return _unit(size, measure["unit"])


@register.filter
def spec_items(specifications: dict[str, object]) -> list[tuple[str, str]]:
    """The specifications as (name, value) in the reader's language, in the catalogue's order of names."""
    if not isinstance(specifications, dict):
        return []
    return [(str(SPEC_NAMES.get(key, key)), spec_value(value)) for key, value in sorted(specifications.items())]
