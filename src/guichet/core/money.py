"""Money as Decimal: minor units and half-up rounding per currency, locale formatting via babel.

Amounts never pass through float. Every stored amount has been rounded with
`round_money` for its currency; formatting is babel's, for the locale made of
the organisation's language and country (fr_BE, fr_CA, en_CA, ro_RO, …), so an
invoice reads the way its customer expects whoever is looking at it.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.languages import get_official_languages
from babel.numbers import format_currency, format_decimal

# ISO 4217 minor units of the currencies the portal bills in.
MINOR_UNITS: dict[str, int] = {"EUR": 2, "CAD": 2, "RON": 2}
CURRENCY_OF_COUNTRY: dict[str, str] = {"BE": "EUR", "CA": "CAD", "RO": "RON"}
# Each currency is billed in one country: its separators are that country's.
COUNTRY_OF_CURRENCY: dict[str, str] = {currency: country for country, currency in CURRENCY_OF_COUNTRY.items()}
ZERO = Decimal("0")


class UnknownCurrency(ValueError):
    pass


def minor_units(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise UnknownCurrency(currency) from None


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(amount: Decimal | int | str, currency: str) -> Decimal:
    """Half-up to the currency's minor unit (0.005 → 0.01), the commercial rounding of all three countries."""
    return Decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def currency_for_country(country: str) -> str:
    return CURRENCY_OF_COUNTRY.get(country, "EUR")


@lru_cache(maxsize=128)  # a pure function of two short codes, asked per amount and per date
def locale_for(language: str, country: str) -> str:
    """`fr` + `BE` → `fr_BE`, `en` + `CA` → `en_CA`: the country's variant of the language where it is
    spoken there; elsewhere the language's own (`en` + `BE` → `en`: "€1,147.00", as an English reader
    writes it). A pair babel does not know falls back to the language alone."""
    language = (language or "en").split("-")[0].lower()
    spoken = bool(country) and language in get_official_languages(country.upper(), de_facto=True)
    candidate = f"{language}_{country.upper()}" if spoken else language
    try:
        Locale.parse(candidate)
    except (UnknownLocaleError, ValueError):
        return language
    return candidate


# Belgian invoices put the sign after the amount in Dutch as in French ("1.493,83 €"); CLDR's nl_BE puts it first.
_CURRENCY_PATTERNS: dict[str, str] = {"nl_BE": "#,##0.00\u00a0¤"}


def format_money(amount: Decimal | int | str, currency: str, locale: str) -> str:
    """`1 234,56 €` (fr_BE: narrow no-break spaces), `1.234,56 €` (nl_BE), `$1,234.56` (en_CA)."""
    pattern = _CURRENCY_PATTERNS.get(locale)
    return format_currency(round_money(amount, currency), currency, format=pattern, locale=locale)


def format_number(amount: Decimal | int | str, locale: str) -> str:
    return format_decimal(Decimal(amount), locale=locale)


def format_date(day: date, locale: str, format: str = "long") -> str:
    """`12 mars 2026` (fr_BE), `12 maart 2026` (nl_BE), `March 12, 2026` (en_CA), `12 martie 2026` (ro_RO)."""
    return babel_format_date(day, format=format, locale=locale)


def format_percent(rate: Decimal, locale: str) -> str:
    """A rate in percent (`Decimal("0.09975")` → `9,975 %` in fr_BE)."""
    from babel.numbers import format_percent as babel_format_percent

    return babel_format_percent(rate, format="#,##0.###%", locale=locale)
