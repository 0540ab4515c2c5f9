"""Django's form renderer, with the select and input widgets written in Python (issue 17: lists fast at scale).

A filter form's `<select>` went through three templates per option (select, select_option, attrs):
on the queue page, 25 options and 30 attribute loops took a third of the template time. This
renderer builds exactly the same HTML (same escaping, same whitespace: `tests/core/test_rows.py`
compares it with Django's templates) from the same context the widget gives. The `<input>` widgets
(text, search, date, number, e-mail, hidden, …: each an include of input.html and attrs.html, ~0.25 ms
a field on a list's filter form) likewise when their value is text or a whole number; so do the
checkbox and file inputs (their templates only include input.html), a `<textarea>` holding text, and
a file input that shows no current file (the request pages' reply forms: ~0.3 ms a widget). Every
other widget, and a select whose options use another template, goes through the templates as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
# Django's widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "search",
        "date",
        "datetime",
        "time",
        "number",
        "email",
        "url",
        "tel",
        "hidden",
        "password",
        "checkbox",
        "file",
    )
)
TEXTAREA = "django/forms/widgets/textarea.html"
CLEARABLE_FILE = "django/forms/widgets/clearable_file_input.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    # `{{ value|stringformat:'s' }}` then autoescape: a safe string stays as it is.
    return str(conditional_escape(value if hasattr(value, "__html__") else f"{value}"))


def _attrs(attrs: dict[str, Any]) -> str:
    # django/forms/widgets/attrs.html
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name and not isinstance(group_name, str | Promise):
            return None
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(str(group_name))}">')
        for option in options:
            # `{{ label }}` would localise a number or a date: those stay with the templates.
            if option["template_name"] != OPTION or not isinstance(option["label"], str | Promise):
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(str(option['label']))}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # BaseRenderer.render strips its text
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str | None:
    # django/forms/widgets/input.html; `{{ widget.type }}` would localise anything but text.
    value, kind = widget["value"], widget["type"]
    if not isinstance(kind, str) or not (value is None or isinstance(value, str | int)) or isinstance(value, bool):
        return None
    shown = "" if value is None else f' value="{_text(value)}"'
    name = conditional_escape(widget["name"])
    return f'<input type="{conditional_escape(kind)}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict[str, Any]) -> str | None:
    # django/forms/widgets/textarea.html; `{{ widget.value }}` would localise anything but text.
    value = widget["value"]
    if not (value is None or isinstance(value, str)):
        return None
    name = conditional_escape(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{conditional_escape(value) if value else ""}</textarea>'


def _file(widget: dict[str, Any]) -> str | None:
    # django/forms/widgets/clearable_file_input.html without a current file: its last line only.
    if widget.get("is_initial") or not isinstance(widget["type"], str):
        return None
    name = conditional_escape(widget["name"])
    return f'<input type="{conditional_escape(widget["type"])}" name="{name}"{_attrs(widget["attrs"])}>'


_WRITERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    SELECT: _select,
    TEXTAREA: _textarea,
    CLEARABLE_FILE: _file,
    **dict.fromkeys(INPUTS, _input),
}


def python_html(template_name: str, context: dict[str, Any]) -> str | None:
    """The widget's HTML written in Python, or None when its template must render it."""
    writer = _WRITERS.get(template_name)
    return writer(context["widget"]) if writer is not None and "widget" in context else None


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        html = python_html(template_name, context)
        return html if html is not None else super().render(template_name, context, request)
