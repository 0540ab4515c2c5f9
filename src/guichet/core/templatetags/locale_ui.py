"""Amounts, dates and times as the reader of the page reads them (a template builtin: no `{% load %}`).

Both filters follow the **active** language (the page's, or the recipient's for an e-mail or a PDF
rendered under `translation.override`), never the organisation's: an English page shows
"December 6, 2026" and "€1,147.00" whoever the organisation is. Times are shown in the active time
zone, which `accounts.middleware.ViewerTimezoneMiddleware` sets to the viewer's (see `core/viewer.py`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_time
from django import template
from django.utils import timezone, translation

from guichet.core.money import COUNTRY_OF_CURRENCY, format_money, locale_for

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
    style = style if style in STYLES else "long"
    locale = active_locale()
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        # The day in the asked style, the time to the minute: "December 6, 2026 at 9:30 AM".
        joined = str(Locale.parse(locale).datetime_formats[style]).replace("'", "")
        return joined.format(format_time(moment, "short", locale=locale), format_date(moment, style, locale=locale))
    return format_date(value, format=style, locale=locale)
