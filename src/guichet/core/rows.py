"""Rows of long lists, prepared once per row in Python (issue 17: lists fast at scale).

A list page of 25 to 50 rows used to spend most of its time in Django's template engine, per cell:
`{% timezone %}`, `blocktranslate`, label filters, `{% url %}` per row, a Babel date per row. The
hot lists now build one plain row object per row in the view (every string it shows already
computed) and a row partial only prints its attributes, escaped as before.
The pieces those rows are made of live here, cached where nothing changes per request:

- `moment(value, style)`: what `{{ value|when:style }}` prints, Babel's patterns parsed once per
  language and style (the `when` filter itself now uses it);
- `day_text(value)`, `money_text(amount, currency)`: what `|day` and `|money:currency` print, the
  locale resolved once per language (and currency) and a day's or an amount's text kept once formatted;
- `labels(choices)`: value → label of a `TextChoices`, one dict per language;
- `url_for(name, kwargs)`: the link of each row from one `reverse()` per view and language;
- `kept_rows_html(template, rows)`: the same, row by row, each frozen row's HTML kept once printed;
- `render_rows(template, rows)`: the rows printed by a Jinja2 partial (`<app>/jinja2/`), the one
  place Guichet uses Jinja2 (Django's own backend for it). Measured on the queue's 50 rows: Django's
  engine 5x slower than Jinja2 for the same loop (bench/README.md). The partial only prints
  attributes, autoescaped (`&`, `<`, `>`, quotes), and an undefined name is an error, not a blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import Any

import jinja2
from babel import Locale
from babel.dates import DateTimePattern, get_date_format, get_time_format, parse_pattern
from django.db.models import Choices
from django.template import engines
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from . import cases
from .models import Case, CaseStatus, WaitsFor
from .money import COUNTRY_OF_CURRENCY, format_money, locale_for

STYLES = ("short", "medium", "long", "full")


def jinja_environment(**options: Any) -> jinja2.Environment:
    options.update(autoescape=True, undefined=jinja2.StrictUndefined)
    return jinja2.Environment(**options)  # noqa: S701 (autoescape set)


def render_rows(template_name: str, rows: Iterable[Any], **extra: Any) -> SafeString:
    """The rows printed by the Jinja2 partial `template_name`; its text is escaped by Jinja2."""
    html = engines["rows"].get_template(template_name).render({"rows": rows, **extra})
    return mark_safe(html)  # noqa: S308 (Jinja2 autoescaped every value)


@lru_cache(maxsize=2048)
def _row_html(template_name: str, row: Any, words: tuple[tuple[str, str], ...]) -> str:
    return str(engines["rows"].get_template(template_name).render({"row": row, **dict(words)}))


def kept_rows_html(template_name: str, rows: Iterable[Any], **words: str) -> SafeString:
    """The rows printed one by one by the Jinja2 partial `template_name` (which prints `row`), each
    row's HTML kept once printed (an LRU of 2,048 rows, ~1 KB each, per process).

    For prepared rows that are frozen and hashable (every field a string): a row's HTML is then a
    function of its fields and of `words` (the translated words the partial prints), which are its
    key, so a row whose text changed (a status, a minute less left) is a new key, printed anew.
    The agents' queue repeats the same 50 rows from view to view and agent to agent.
    """
    extra = tuple(sorted(words.items()))
    return mark_safe("".join([_row_html(template_name, row, extra) for row in rows]))  # noqa: S308 (Jinja2 autoescaped)


def prepared_rows[R](prepare: Callable[[Any, str], R], page: Iterable[Any]) -> list[R]:
    """A page read as the columns its rows print (named rows, hashable), each row made by
    `prepare(row, language)` in the active language. `prepare` is the list's `lru_cache`d function
    of those two, which are everything a row prints: a row seen again costs a look-up (issue 17)."""
    language = translation.get_language() or ""
    return [prepare(row, language) for row in page]


@lru_cache(maxsize=64)
def _options(values: tuple[Any, ...]) -> SafeString:
    return render_rows("core/datalist_options.html", values)


def datalist_options(values: Iterable[Any]) -> SafeString:
    """A reference field's `<option>`s (partials/datalist.html), printed once per distinct list of
    values in each process: an organisation's suggestions are the same from page to page (kept
    under their data version), and printing 500 of them took ~1 ms a page."""
    if isinstance(values, list | tuple):
        try:
            return _options(tuple(values))
        except TypeError:  # a value that cannot be a cache key: printed each time
            pass
    return render_rows("core/datalist_options.html", values)


@lru_cache(maxsize=64)
def _patterns(locale: str, style: str) -> tuple[Locale, str, DateTimePattern, DateTimePattern]:
    parsed = Locale.parse(locale)
    joined = str(parsed.datetime_formats[style]).replace("'", "")
    return (
        parsed,
        joined,
        parse_pattern(get_date_format(style, locale=parsed)),  # type: ignore[arg-type]
        parse_pattern(get_time_format("short", locale=parsed)),
    )


def moment(value: date | datetime | None, style: str = "long", *, zone: tzinfo | None = None) -> str:
    """A date, or a moment in the active time zone (or `zone`), in the active language: "Dec 6, 2026, 9:30 AM".

    Exactly Babel's `format_date` / `format_time` (what the `when` filter always printed), with the
    locale and its patterns parsed once instead of on every call.
    """
    if value is None:
        return ""
    style = style if style in STYLES else "long"
    parsed, joined, day, hour = _patterns(locale_for(translation.get_language() or "en", ""), style)
    if isinstance(value, datetime):
        # Babel reads a naive time as UTC; its time patterns then print it unchanged.
        value = timezone.localtime(value, zone) if timezone.is_aware(value) else value.replace(tzinfo=UTC)
        return joined.format(hour.apply(value, parsed, reference_date=value.date()), day.apply(value.date(), parsed))
    return day.apply(value, parsed)


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    parsed, _joined, day, _hour = _patterns(locale, "medium")
    return str(day.apply(value, parsed))


def day_text(value: date | None) -> str:
    """What `{{ value|day }}` prints for a date (medium style): "6 déc. 2026"; "" for none.

    Kept once formatted per day and language, like amounts: a list's dates repeat (a page of
    invoices prints 50), and Babel takes ~40 µs a date."""
    if value is None:
        return ""
    if type(value) is not date:  # a moment: in the active zone (moment), never kept
        return moment(value, "medium")
    return _day(value, locale_for(translation.get_language() or "en", ""))


@lru_cache(maxsize=64)
def _money_locale(language: str, currency: str) -> str:
    return locale_for(language, COUNTRY_OF_CURRENCY.get(currency, ""))


@lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, locale: str) -> str:
    return format_money(amount, currency, locale)


def money_text(amount: Decimal | None, currency: str) -> str:
    """What `{{ amount|money:currency }}` prints ("1 200,00 €"): Babel's text, formatted once per amount,
    currency and language (a list repeats the same amounts; each costs ~50 µs to format)."""
    if amount is None:
        return ""
    return _money(amount, currency, _money_locale(translation.get_language() or "en", currency))


@lru_cache(maxsize=256)
def _labels(choices: type[Choices], language: str) -> dict[Any, str]:
    return {value: str(label) for value, label in choices.choices}


def labels(choices: type[Choices]) -> dict[Any, str]:
    """Value → label of a `TextChoices`, translated into the active language (one dict per language)."""
    return _labels(choices, translation.get_language() or "")


# A value that can stand in a URL as it is (reverse() would quote nothing in it): case numbers, ids.
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]+")
# Stands for a value while reversing once: digits, so every usual converter (str, slug, int, path)
# takes it; one distinct digit after it per argument.
_MARK = "8675309"


@lru_cache(maxsize=512)
def _url_template(name: str, keys: tuple[str, ...], language: str, prefix: str) -> tuple[tuple[str, ...], str] | None:
    """The URL of `name` cut around its arguments: (head, key, between, key, …) and its tail."""
    assert len(keys) < 10
    marks = {f"{_MARK}{index}": key for index, key in enumerate(keys)}
    try:
        url = reverse(name, kwargs={key: mark for mark, key in marks.items()})
    except NoReverseMatch:
        return None
    if not marks:
        return (), url
    if any(url.count(mark) != 1 for mark in marks):
        return None
    pieces: list[str] = []
    for part in re.split(f"({'|'.join(marks)})", url):
        pieces.append(marks.get(part, part))
    # pieces alternate: text, key, text, key, …, text
    return tuple(pieces[:-1]), pieces[-1]


def url_for(name: str, kwargs: dict[str, Any] | None = None) -> str:
    """`reverse(name, kwargs=kwargs)`, from one `reverse()` per view and language: for a row per link.

    Values made only of letters, digits and `_.~-` (numbers, ids) are put into the cached URL as
    they are; any other value goes through `reverse()` itself. NoReverseMatch is raised as
    `reverse()` would, when the view takes other arguments. A route whose converter refuses digits
    is always reversed; one that takes only digits (`<int:…>`) must be given digits.
    """
    kwargs = kwargs or {}
    keys = tuple(sorted(kwargs))
    template = _url_template(name, keys, translation.get_language() or "", get_script_prefix())
    values = {key: str(value) for key, value in kwargs.items()}
    if template is None or not all(_PLAIN.fullmatch(value) for value in values.values()):
        return reverse(name, kwargs=kwargs or None)
    pieces, tail = template
    out = [piece if index % 2 == 0 else values[piece] for index, piece in enumerate(pieces)]
    return "".join(out) + tail


# --- the case index ("My requests": every kind of case) ------------------------------------------

CASE_STATUS_CSS = {
    CaseStatus.OPEN: "text-bg-secondary",
    CaseStatus.WAITING: "text-bg-warning",
    CaseStatus.IN_PROGRESS: "text-bg-primary",
    CaseStatus.RESOLVED: "text-bg-success",
    CaseStatus.CLOSED: "text-bg-dark",
    CaseStatus.REFUSED: "text-bg-danger",
}


@dataclass(frozen=True, slots=True)
class CaseRow:
    number: str
    kind: str
    kind_label: str
    url: str  # "" when the case's page cannot be reversed
    title: str
    status: str
    status_css: str
    updated_iso: str  # in the zone given
    updated_text: str
    waits_for: str  # its label, or ""


@lru_cache(maxsize=4096)
def _changed(value: datetime, zone: tzinfo, active: tzinfo, language: str) -> tuple[str, str]:
    # `active` and `language` are what moment() reads: part of the key, so each viewer's text is its own.
    local = timezone.localtime(value, zone)
    return local.isoformat(), moment(local, "medium")


def changed_texts(value: datetime, zone: tzinfo) -> tuple[str, str]:
    """A row's last change as (ISO time in `zone`, its medium text in the active zone and language).

    Kept once formatted, like an amount (`money_text`): a list shows the same rows page after page,
    and a date costs ~40 µs to format (Babel's pattern, the zone's conversion)."""
    return _changed(value, zone, timezone.get_current_timezone(), translation.get_language() or "")


@lru_cache(maxsize=4096)
def _zoned(value: datetime, zone: tzinfo, language: str) -> tuple[str, str]:
    # `language` is what moment() reads besides the zone: part of the key.
    return value.astimezone(zone).isoformat(), moment(value, "medium", zone=zone)


def zoned_texts(value: datetime, zone: tzinfo) -> tuple[str, str]:
    """A moment as (ISO time in `zone`, its medium text in `zone` and the active language): a queue
    row's due time in its organisation's support-centre zone. Kept once formatted, as `changed_texts`."""
    return _zoned(value, zone, translation.get_language() or "")


def case_rows(page: Iterable[Case], zone: tzinfo) -> list[CaseRow]:
    """The rows of a case list, in the active language, dates in `zone` (the organisation's centre's)."""
    statuses, waits = labels(CaseStatus), labels(WaitsFor)
    kinds: dict[str, str] = {}
    built = []
    for case in page:
        if case.kind not in kinds:
            source = cases.source(case.kind)
            kinds[case.kind] = str(source.label) if source else case.kind
        try:
            url = url_for(case.url_name, case.url_args or None)
        except NoReverseMatch:
            url = ""
        updated_iso, updated_text = changed_texts(case.updated_at, zone)
        built.append(
            CaseRow(
                number=case.number,
                kind=case.kind,
                kind_label=kinds[case.kind],
                url=url,
                title=case.title,
                status=statuses.get(case.status, case.status),
                status_css=CASE_STATUS_CSS.get(case.status, "text-bg-secondary"),  # type: ignore[call-overload]
                updated_iso=updated_iso,
                updated_text=updated_text,
                waits_for=waits.get(case.waits_for, case.waits_for) if case.waits_for else "",
            )
        )
    return built
