"""Amounts, dates and times as the reader of the page reads them (a template builtin: no `{% load %}`).

Both filters follow the **active** language (the page's, or the recipient's for an e-mail or a PDF
rendered under `translation.override`), never the organisation's: an English page shows
"December 6, 2026" and "€1,147.00" whoever the organisation is. Times are shown in the active time
zone, which `accounts.middleware.ViewerTimezoneMiddleware` sets to the viewer's (see `core/viewer.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from django import template
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from guichet.core.addresses import HasPostalAddress, one_line
from guichet.core.money import COUNTRY_OF_CURRENCY, format_money, locale_for
from guichet.core.rows import datalist_options, kept_rows_html, moment, render_rows, zoned_texts

register = template.Library()

# Babel's names for the styles a template asks for.
STYLES = ("short", "medium", "long", "full")


def active_locale(currency: str = "") -> str:
    """The active language; with a currency, its country's variant where the language is spoken there
    (`fr` + CAD → `fr_CA`, `en` + EUR → `en`)."""
    return locale_for(translation.get_language() or "en", COUNTRY_OF_CURRENCY.get(currency, ""))


@register.filter
def money(amount: Decimal | int | str | None, currency: str) -> str:
    """`{{ amount|money:currency }}`: `€1,147.00` on an English page, `1 147,00 €` on a French one."""
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency, active_locale(currency))


@register.filter
def when(value: date | datetime | str | None, style: str = "long") -> str:
    """`{{ value|when }}` or `{{ value|when:"short" }}`: a date, or a moment in the viewer's zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):  # an e-mail's context is JSON: its dates arrive as ISO strings
        text = value
        try:
            value = datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
        except ValueError:
            return text
    # Babel's patterns parsed once per language and style (core/rows.py): the same text, cheaper.
    return moment(value, style)


@register.filter
def moment_html(value: datetime) -> SafeString:
    """`<time datetime="{{ value|date:'c' }}">{{ value|when:"medium" }}</time>` in the active zone
    (the page's `{% timezone %}`), both texts kept once formatted (`core.rows.zoned_texts`): a page
    that prints several moments at every view pays Babel's formatting once per moment and language."""
    iso, text = zoned_texts(value, timezone.get_current_timezone())
    return format_html('<time datetime="{}">{}</time>', iso, text)


# A weekday with its day and month and no year ("lundi 7 décembre", "luni, 7 decembrie"): CLDR's
# abbreviated pattern gives each language's own order and punctuation; the names are then widened.
# Babel keeps Romanian days and months in lowercase, as Romanian writes them.
WEEKDAY_SKELETON = "MMMEd"


def _weekday_pattern(locale: str) -> str:
    pattern = str(Locale.parse(locale).datetime_skeletons[WEEKDAY_SKELETON])
    return re.sub("M+", "MMMM", re.sub("E+", "EEEE", pattern))


def _as_local(value: date | datetime | str) -> date | datetime | None:
    if isinstance(value, str):  # an e-mail's context is JSON
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def day(value: date | datetime | str | None, style: str = "medium") -> str:
    """`{{ value|day }}`, `{{ value|day:"long" }}` or `{{ value|day:"weekday" }}`: the date alone (of a
    moment, the date on the viewer's clock), in the active language."""
    if value is None or value == "":
        return ""
    local = _as_local(value)
    if local is None:
        return str(value)
    if isinstance(local, datetime):
        local = local.date()
    locale = active_locale()
    if style == "weekday":
        return format_date(local, format=_weekday_pattern(locale), locale=locale)
    return format_date(local, format=style if style in STYLES else "medium", locale=locale)


@register.filter
def hour(value: time | datetime | str | None) -> str:
    """`{{ value|hour }}`: the time to the minute (of a moment, on the viewer's clock), in the active
    language ("9:30 AM", "09:30")."""
    if value is None or value == "":
        return ""
    if isinstance(value, time):
        return format_time(value, "short", locale=active_locale())
    local = _as_local(value)
    if not isinstance(local, datetime):
        return str(value)
    return format_time(local, "short", locale=active_locale())


@register.filter
def address(value: HasPostalAddress | None, layout: str = "lines") -> str | SafeString:
    """`{{ organisation|address }}`: its postal address in its country's order, one line each
    (`<br>` between them); `{{ machine|address:"inline" }}` on one line, comma-separated."""
    lines = list(getattr(value, "postal_lines", None) or [])
    if layout == "inline":
        return one_line(lines)
    return mark_safe("<br>".join(conditional_escape(line) for line in lines))  # noqa: S308 - each line escaped


@register.filter(is_safe=True)
def unbroken(value: object) -> str | SafeString:
    """`{{ iban|unbroken }}`: a number, amount, IBAN, date or reference a PDF never breaks across
    lines (`documents/base.html` styles `.unbroken` with `white-space: nowrap`). The characters stay
    as they are (no non-breaking hyphen), so a reference copied from the PDF into a bank's form works."""
    if value is None or value == "":
        return ""
    return mark_safe(f'<span class="unbroken">{conditional_escape(str(value))}</span>')  # noqa: S308 - escaped


@register.simple_tag
def rows_html(template_name: str, rows: Iterable[Any], **extra: Any) -> SafeString:
    """`{% rows_html "support/queue_rows.html" rows nobody=… %}`: a long list's rows from its Jinja2
    partial (core/rows.py); `extra` names what the partial prints besides the rows (translated words)."""
    return render_rows(template_name, rows, **extra)


@register.simple_tag(name="kept_rows_html")
def kept_rows_html_tag(template_name: str, rows: Iterable[Any], **words: str) -> SafeString:
    """`{% kept_rows_html "support/queue_row.html" rows nobody=… %}`: as `rows_html`, one row at a
    time (the partial prints `row`), each frozen row's HTML kept once printed (core/rows.py)."""
    return kept_rows_html(template_name, rows, **words)


@register.simple_tag(name="datalist_options")
def datalist_options_tag(values: Iterable[Any]) -> SafeString:
    """`{% datalist_options values %}`: a datalist's options (core/rows.py), printed once per list of values."""
    return datalist_options(values)
