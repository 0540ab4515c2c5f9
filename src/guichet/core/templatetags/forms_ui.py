"""Render form fields with Bootstrap classes and accessible error wiring."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_CLASS_BY_WIDGET = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
    "radioselect": "",
    "checkboxselectmultiple": "",
}


@register.filter
def control(field: BoundField) -> SafeString:
    """The field's widget, styled, with aria-invalid and aria-describedby set."""
    css = _CLASS_BY_WIDGET.get(field.widget_type, "form-control")
    attrs: dict[str, str | bool] = {}
    if css:
        attrs["class"] = f"{css} is-invalid" if field.errors else css
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
