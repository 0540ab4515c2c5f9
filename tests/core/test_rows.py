"""Rows prepared in Python (core/rows.py) and the select written in Python (core/form_renderer.py)
give exactly what Django's templates, `reverse()` and Babel gave."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.dates import format_date, format_time
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from guichet.core import form_renderer
from guichet.core.form_renderer import FormRenderer
from guichet.core.forms import MultipleFileField
from guichet.core.money import locale_for
from guichet.core.rows import (
    _changed,
    changed_texts,
    day_text,
    kept_rows_html,
    labels,
    moment,
    money_text,
    url_for,
    zoned_texts,
)
from guichet.core.templatetags.locale_ui import day, money
from guichet.support.models import Status
from guichet.support.rows import QueueRow


def _babel(value: date | datetime, style: str) -> str:
    """What the `when` filter printed before (Babel's own functions, every call)."""
    locale = locale_for(translation.get_language() or "en", "")
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        joined = str(Locale.parse(locale).datetime_formats[style]).replace("'", "")
        return joined.format(format_time(local, "short", locale=locale), format_date(local, style, locale=locale))
    return format_date(value, format=style, locale=locale)


@pytest.mark.parametrize("language", ["en", "fr", "nl", "ro"])
@pytest.mark.parametrize("zone", ["Europe/Brussels", "America/Toronto", "Europe/Bucharest"])
def test_moment_is_babels_text(language: str, zone: str) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        for step in range(0, 24 * 400, 53):  # across both daylight-saving changes
            value = start + timedelta(hours=step, minutes=step % 60)
            for style in ("short", "medium", "long", "full"):
                assert moment(value, style) == _babel(value, style)
                assert moment(value.date(), style) == _babel(value.date(), style)
                assert moment(value.replace(tzinfo=None), style) == _babel(value.replace(tzinfo=None), style)


def test_moment_in_a_given_zone() -> None:
    value = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    toronto = ZoneInfo("America/Toronto")
    with translation.override("en"):
        with timezone.override(toronto):
            expected = _babel(value, "medium")
        assert moment(value, "medium", zone=toronto) == expected
        assert "6:30" in expected


def test_labels_follow_the_language() -> None:
    with translation.override("fr"):
        french = labels(Status)[Status.CLOSED]
    with translation.override("en"):
        assert labels(Status)[Status.CLOSED] == "Closed"
    assert french == str(Status.CLOSED.label) or french != "Closed"
    with translation.override("fr"):
        assert labels(Status)[Status.CLOSED] == french == str(Status.CLOSED.label)


@pytest.mark.parametrize("language", ["en", "fr", "nl", "ro"])
def test_url_for_is_reverse(language: str) -> None:
    with translation.override(language):
        for number in ("REQ-2026-000001", "RQ_9.8~x", "42"):
            for name in ("support:detail", "support_console:detail"):
                assert url_for(name, {"number": number}) == reverse(name, kwargs={"number": number})
        # A value reverse() would quote goes through reverse() itself.
        assert url_for("support:detail", {"number": "a bé"}) == reverse("support:detail", kwargs={"number": "a bé"})
        assert url_for("support:list") == reverse("support:list")


class _Form(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("a", "A & B"), ("<script>", "<script>alert(1)</script>")])
    lazy = forms.ChoiceField(choices=[("open", gettext_lazy("Open")), ("x", mark_safe("<b>bold</b>"))])
    grouped = forms.ChoiceField(choices=[("Fruit", [("1", "Apple"), ("2", "Pear")]), ("3", "Other")])
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, "Three")])
    numbers = forms.ChoiceField(choices=[(1, 1.5), (2, 2)])
    flag = forms.NullBooleanField()


def _assert_rendered_alike(bound_forms: list[forms.Form], attrs: dict[str, object], language: str) -> None:
    """Every field's widget: FormRenderer's HTML is the templates' HTML, byte for byte."""
    fast, slow = FormRenderer(), DjangoTemplates()
    with translation.override(language):
        for bound in bound_forms:
            for name in bound.fields:
                field = bound[name]
                widget = field.field.widget
                context = widget.get_context(field.html_name, field.value(), {"id": field.auto_id, **attrs})
                assert fast.render(widget.template_name, context) == slow.render(widget.template_name, context), name


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_select_is_what_the_templates_render(language: str) -> None:
    data = {"plain": "<script>", "lazy": "open", "grouped": "2", "many": ["1", "3"], "numbers": "1", "flag": "true"}
    attrs = {"class": "form-select", "aria-invalid": "true", "disabled": False, "data-x": 'a"b', "hidden": True}
    _assert_rendered_alike([_Form(), _Form(data)], attrs, language)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in str(_Form()["plain"])
    assert "<b>bold</b>" in str(_Form()["lazy"])


class _StoredFile:
    """A file already stored (a FieldFile's shape): the clearable input shows it, through its template."""

    url = "/media/a.pdf"

    def __str__(self) -> str:
        return "a.pdf"


class _Inputs(forms.Form):
    text = forms.CharField(initial='a "quoted" <b>&amp;', max_length=20)
    search = forms.CharField(widget=forms.SearchInput, required=False)
    day = forms.DateField(initial=date(2026, 12, 6))
    number = forms.IntegerField(initial=1234567)
    money = forms.DecimalField(initial=Decimal("1234.50"))
    mail = forms.EmailField(widget=forms.EmailInput)
    hidden = forms.CharField(widget=forms.HiddenInput, initial=mark_safe("<i>safe</i>"))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))


@pytest.mark.parametrize("language", ["en", "fr", "nl", "ro"])
def test_the_inputs_are_what_the_templates_render(language: str) -> None:
    data = {"text": 'x" onmouseover="y', "search": "", "day": "6/12/2026", "number": "12", "mail": "a@b.be"}
    attrs = {"class": "form-control", "aria-invalid": "true", "disabled": False, "required": True, "maxlength": 20}
    _assert_rendered_alike([_Inputs(), _Inputs(data)], attrs, language)


class _Writing(forms.Form):
    """The request pages' reply forms: a text area, a checkbox, files (core/forms.MultipleFileField)."""

    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), initial='Bonjour <b>"x"</b> &amp;\n\nfin')
    empty = forms.CharField(widget=forms.Textarea, required=False)
    safe = forms.CharField(widget=forms.Textarea, initial=mark_safe("<i>safe</i>"))
    number = forms.CharField(widget=forms.Textarea, initial=1234567)  # formatted as text by the widget
    internal = forms.BooleanField(required=False)
    ticked = forms.BooleanField(initial=True)
    files = MultipleFileField(required=False)
    one = forms.FileField(widget=forms.FileInput, required=False)
    kept = forms.FileField(required=False, initial=_StoredFile())


@pytest.mark.parametrize("language", ["en", "fr", "nl", "ro"])
def test_text_areas_checkboxes_and_files_are_what_the_templates_render(language: str) -> None:
    data = {"body": "</textarea><script>", "empty": "", "internal": "on", "ticked": ""}
    attrs = {"class": "form-control", "aria-invalid": "true", "disabled": False, "required": True}
    _assert_rendered_alike([_Writing(), _Writing(data)], attrs, language)
    assert "&lt;/textarea&gt;&lt;script&gt;" in str(_Writing(data)["body"])
    # Written in Python, not through the templates (else the comparison above proves nothing).
    for name, expected in (("body", True), ("internal", True), ("files", True), ("number", True), ("kept", False)):
        field = _Writing()[name]
        context = field.field.widget.get_context(field.html_name, field.value(), {"id": field.auto_id})
        written = form_renderer.python_html(field.field.widget.template_name, context)
        assert (written is not None) is expected, name


@pytest.mark.parametrize("language", ["en", "fr", "nl", "ro"])
def test_day_and_money_texts_are_the_filters(language: str) -> None:
    with translation.override(language):
        for value in (date(2026, 1, 5), date(2026, 12, 31), None):
            assert day_text(value) == (day(value) if value else "")
        amounts = [Decimal("1200.00"), Decimal("1200"), Decimal("0.5"), Decimal("-1234567.891"), Decimal("0")]
        for currency in ("EUR", "CAD", "RON"):
            for amount in amounts * 2:  # the second time from the cache
                assert money_text(amount, currency) == money(amount, currency), (amount, currency)


def test_a_kept_day_follows_the_language_and_a_moment_is_never_kept() -> None:
    """`day_text` keeps each day's text per language: the same day twice in two languages prints each
    language's text (the second time from the cache), and a datetime still goes to the viewer's zone."""
    value = date(2026, 12, 6)
    printed = {}
    for _round in range(2):
        for language in ("en", "fr", "nl", "ro"):
            with translation.override(language):
                printed.setdefault(language, set()).add(day_text(value))
                assert day_text(value) == _babel(value, "medium")
    assert {len(texts) for texts in printed.values()} == {1}
    assert len({next(iter(texts)) for texts in printed.values()}) == 4  # four languages, four texts
    late = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    with translation.override("en"), timezone.override(ZoneInfo("Europe/Brussels")):
        assert day_text(late) == moment(late, "medium")  # 7 Dec 00:30 in Brussels, with its time


def test_a_rows_change_is_formatted_once_per_viewer() -> None:
    """`changed_texts` keeps each text: a second viewer in another zone or language gets their own."""

    value = datetime(2026, 12, 6, 23, 30, 15, 123456, tzinfo=UTC)
    centre = ZoneInfo("America/Montreal")
    seen = set()
    for language in ("en", "fr", "en"):
        for active in ("Europe/Brussels", "America/Vancouver", "Europe/Brussels"):
            with translation.override(language), timezone.override(ZoneInfo(active)):
                iso, text = changed_texts(value, centre)
                assert iso == timezone.localtime(value, centre).isoformat() == "2026-12-06T18:30:15.123456-05:00"
                assert text == _babel(timezone.localtime(value, centre), "medium")
                seen.add(text)
    assert len(seen) == 4  # two languages x two active zones (Brussels 00:30 next day, Vancouver 15:30)
    assert _changed.cache_info().hits >= 4


def test_a_due_time_is_formatted_in_its_centres_zone_once_per_language() -> None:
    """`zoned_texts` is what the queue printed for a due time: ISO and Babel's text in the centre's zone."""
    value = datetime(2026, 3, 29, 0, 45, tzinfo=UTC)  # Brussels moves its clocks that night
    for language in ("en", "ro", "en"):
        for zone in (ZoneInfo("Europe/Brussels"), ZoneInfo("America/Toronto")):
            with translation.override(language), timezone.override(ZoneInfo("Asia/Tokyo")):  # the viewer's own: unused
                iso, text = zoned_texts(value, zone)
                assert iso == value.astimezone(zone).isoformat()
                with timezone.override(zone):
                    assert text == _babel(value, "medium")
    assert zoned_texts(value, ZoneInfo("Europe/Brussels"))[0] == "2026-03-29T01:45:00+01:00"


def _queue_row(number: str, status: str, assignee: str = "") -> QueueRow:
    return QueueRow(
        number=number,
        url=f"/en/console/requests/{number}/",
        select_label=f"Select {number}",
        subject="Toner",
        organisation="Org",
        country="BE",
        type="Orders",
        priority="Normal",
        status=status,
        status_css="text-bg-info",
        assignee=assignee,
        sla_state="ok",
        sla_css="text-bg-success",
        sla_label="On time",
        sla_text="",
        due_iso="",
        due_text="",
    )


def test_kept_rows_are_the_partials_rows_and_a_changed_row_is_printed_anew() -> None:
    template = "support/queue_row.html"
    words = {"nobody": "Nobody", "due": "due"}
    rows = [_queue_row("A-1", "Submitted"), _queue_row("B-<2>", "Assigned", assignee="Zoë & co")]
    partial = engines["rows"].get_template(template)
    printed = kept_rows_html(template, rows, **words)
    assert printed == "".join(partial.render({"row": row, **words}) for row in rows)
    assert "B-&lt;2&gt;" in printed and "Zoë &amp; co" in printed and ">Nobody<" in printed
    # Kept under the whole row and the words: another status or language is printed, not found.
    assert ">Closed<" in kept_rows_html(template, [_queue_row("A-1", "Closed")], **words)
    assert ">Submitted<" in kept_rows_html(template, rows[:1], **words)
    assert ">Personne<" in kept_rows_html(template, rows[:1], nobody="Personne", due="échéance")
