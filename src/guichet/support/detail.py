"""A request's page, the customer's and the agent's: its parts prepared in Python, their HTML kept
(issue 17, decision 0016).

The page stays a Django template; what it repeats from view to view is printed once per process:

- each entry of the request's story (`TimelineRow`, every field the text it prints) through
  `support/partials/timeline_entry.html`, its HTML kept in an LRU keyed on the row and the language:
  a new message, a changed name or a file is a new row, printed anew; nothing has to be forgotten;
- the forms that print the same whatever the request (the reply and reopening forms, unbound),
  once per language; the status select once per language and current status. Never the CSRF token:
  it stays in the page, outside what is kept;
- the colleagues an agent may assign to: their ids and names kept in the process under the accounts
  application's data version (any write to a user replaces it; an LRU keyed on the country and the
  version), their `<option>`s printed once per list and selected agent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django import forms
from django.template.defaultfilters import filesizeformat
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from guichet.core import data_versions
from guichet.core.rows import labels, url_for, zoned_texts
from guichet.core.templatetags.forms_ui import control

from . import selectors
from .forms import StatusForm
from .models import Status

ENTRY = "support/partials/timeline_entry.html"
AGENT_READS = ("accounts",)  # agents are users: accounts' table

data_versions.watch(lambda: AGENT_READS)


@dataclass(frozen=True, slots=True)
class FileRow:
    url: str
    name: str
    size: str  # as |filesizeformat prints it, in the page's language


@dataclass(frozen=True, slots=True)
class TimelineRow:
    kind: str
    internal: bool
    at_iso: str  # in the organisation's support-centre zone
    at_text: str
    actor: str | None  # their name, else their address; None for the portal itself
    value: object  # what the entry's sentence names: a status's label, an agent, a file's name, a rating
    comment: str | None  # the text of the comment the entry names
    files: tuple[FileRow, ...]  # the comment's files


def _value(kind: str, data: dict[str, object]) -> object:
    # What the template read from the event's data (a missing key printed as "", as Django did).
    if kind == "status":
        status = data.get("status", "")
        return labels(Status).get(status, status)
    key = {"assigned": "assignee", "attachment": "name", "rated": "rating"}.get(kind)
    return data.get(key, "") if key else ""


def timeline_rows(
    timeline: Iterable[selectors.TimelineEntry], *, number: str, console: bool, zone: ZoneInfo
) -> list[TimelineRow]:
    """The entries of `selectors.conversation_of(…).timeline` as the page prints them: dates in
    `zone`, files linked from the customer's or the agents' pages."""
    link = "support_console:attachment" if console else "support:attachment"
    rows = []
    for entry in timeline:
        at_iso, at_text = zoned_texts(entry.at, zone)
        files = tuple(
            FileRow(url_for(link, {"number": number, "pk": file.pk}), file.original_name, filesizeformat(file.size))
            for file in entry.files
        )
        comment = entry.comment.body if entry.comment is not None else None
        rows.append(
            TimelineRow(
                entry.kind, entry.internal, at_iso, at_text, entry.actor, _value(entry.kind, entry.data), comment, files
            )
        )
    return rows


def _entry(row: TimelineRow) -> str:
    return str(get_template(ENTRY).render({"entry": row}))


@lru_cache(maxsize=2048)
def _kept_entry(row: TimelineRow, language: str) -> str:
    # `language` is what the partial's {% translate %} reads besides the row: part of the key.
    return _entry(row)


def timeline_html(rows: Iterable[TimelineRow]) -> SafeString:
    """The entries' `<li>`s, each entry's HTML kept once printed (an LRU of 2,048 entries)."""
    language = translation.get_language() or ""
    html = []
    for row in rows:
        try:
            html.append(_kept_entry(row, language))
        except TypeError:  # an event whose data holds a list or a mapping: printed each time
            html.append(_entry(row))
    return mark_safe("".join(html))  # noqa: S308 (a Django template's output, escaped by it)


@lru_cache(maxsize=32)
def _blank_fields(form_class: type[forms.Form], language: str) -> str:
    return render_to_string("partials/form_fields.html", {"form": form_class()})


def blank_fields(form_class: type[forms.Form]) -> SafeString:
    """What `{% include "partials/form_fields.html" with form=form_class() %}` prints, once per
    language: for a form that prints the same every time it is empty (no initial value, no choice
    read from the database)."""
    return mark_safe(_blank_fields(form_class, translation.get_language() or ""))  # noqa: S308 (Django's output)


@lru_cache(maxsize=64)
def _status_control(status: str, language: str) -> str:
    return str(control(StatusForm(initial={"status": status})["status"]))


def status_control(status: str) -> SafeString:
    """The agents' status select with `status` chosen, as `{{ status_form.status|control }}` printed it."""
    return mark_safe(_status_control(status, translation.get_language() or ""))  # noqa: S308 (Django's output)


def _agents(country: str) -> tuple[tuple[int, str], ...]:
    return tuple((agent.pk, agent.shown_as) for agent in selectors.agents_for(country))


@lru_cache(maxsize=256)
def _agent_options(agents: tuple[tuple[int, str], ...], selected: int | None) -> str:
    chosen = mark_safe(" selected")
    return "".join(
        format_html('<option value="{}"{}>{}</option>', pk, chosen if pk == selected else "", name)
        for pk, name in agents
    )


@lru_cache(maxsize=64)
def _kept_agents(country: str, version: str) -> tuple[tuple[int, str], ...]:
    # `version` is the accounts' data version the list was read under: a write to a user is a new key.
    return _agents(country)


def agent_options(country: str, selected: int | None) -> SafeString:
    """The `<option>`s of the agents of `country`, `selected` chosen: the agents read once per
    version of the accounts' data and process (kept here, not in the shared cache: one round trip to
    it a page, the version's, not two), their options printed once per list and choice."""
    agents = _kept_agents(country, data_versions.current(AGENT_READS)["accounts"])
    return mark_safe(_agent_options(agents, selected))  # noqa: S308 (format_html escaped each name)
