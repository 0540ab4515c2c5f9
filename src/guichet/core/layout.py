"""The header and footer every page prints around its content (base.html), kept once printed.

Issue 17: the layout's Django templates (~120 nodes: translations, conditions, the console menu's
loops, escaping) cost every signed-in page more than a millisecond, the same work page after page.
Their output is a function of few things: the language, the kind of reader, the menus, the
organisations, the language switcher, the support centre and whether it is open. Those are the key
of an LRU of printed pieces; what belongs to one request only (the CSRF token, the current path and
the person's name) is not in the key: the templates print a marker in its place, and each page
puts its own value there, escaped as Django's `{{ }}` escapes.

The templates are rendered with only the key's values (no request, no context processor), so
nothing they print can be missing from the key. They stay Django templates: a miss renders them
as before, and their translations stay in the catalogue they were in.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Country

# Stands for a request's own value in a kept piece; random per process so that no stored text (an
# organisation's name) can be mistaken for it. Its characters are left as they are by escaping.
_MARK = f"\x00{secrets.token_hex(8)}\x00"
CSRF, NEXT, NAME = (f"{_MARK}{slot}{_MARK}" for slot in range(3))


class NavItem(NamedTuple):
    label: str
    url: str
    current: bool  # the page is the application's landing page


class Status(NamedTuple):
    """The support centre open or closed now (core.context_processors.centre_status), as a key."""

    open_now: bool
    closes_at: Any
    next_opening: Any
    tz: str


class Kept(NamedTuple):
    texts: tuple[str, ...]  # the printed text around the slots
    slots: tuple[int, ...]  # which request value goes between texts[i] and texts[i + 1]


Key = tuple[tuple[str, Any], ...]


def _as_given(key: Key) -> dict[str, Any]:
    return dict(key)


@lru_cache(maxsize=1024)
def _kept(template_name: str, key: Key, language: str, prefix: str, context: Callable[[Key], dict[str, Any]]) -> Kept:
    # `language` and `prefix` are what the template's translations and `{% link %}` read: part of the key.
    pieces = get_template(template_name).render(context(key)).split(_MARK)
    return Kept(texts=tuple(pieces[0::2]), slots=tuple(int(slot) for slot in pieces[1::2]))


def kept_html(
    template_name: str,
    key: Key,
    values: tuple[str, ...] = (),
    context: Callable[[Key], dict[str, Any]] = _as_given,
) -> SafeString:
    """`template_name` rendered with the context `context(key)` (by default `dict(key)`; hashable
    values), kept once printed per key, language and script prefix; each of CSRF, NEXT and NAME it
    printed replaced by `values[slot]`, escaped. `context` may add only what follows from the key
    and the language (it runs on a miss only)."""
    kept = _kept(template_name, key, translation.get_language() or "", get_script_prefix(), context)
    out = [kept.texts[0]]
    for slot, text in zip(kept.slots, kept.texts[1:], strict=True):
        out.append(escape(values[slot]))
        out.append(text)
    return mark_safe("".join(out))  # noqa: S308 (the template escaped its values, escape() the request's)


def _navigation(items: Iterable[Mapping[str, str]], path: str) -> tuple[NavItem, ...]:
    return tuple(NavItem(item["label"], item["url"], path == item["url"]) for item in items)


def header_html(context: Context) -> SafeString:
    """partials/header.html for the page whose template context is `context` (base.html's)."""
    request = context["request"]
    user: Any = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    staff = authenticated and bool(user.is_vendor_staff)
    memberships = context.get("memberships") or ()
    active = context.get("active_organisation")
    membership = getattr(request, "membership", None)
    key = (
        ("authenticated", authenticated),
        ("staff", staff),
        ("administrator", staff and bool(user.is_administrator)),
        ("team", bool(authenticated and not staff and membership is not None and membership.is_admin)),
        ("console_menu", context.get("console_menu") if staff else None),
        ("navigation", () if staff else _navigation(context.get("navigation") or (), request.path)),
        ("active_organisation", (active.pk, active.name) if active is not None else None),
        (
            "organisations",
            tuple((m.organisation_id, m.organisation.name) for m in memberships) if len(memberships) > 1 else (),
        ),
        ("interface_languages", tuple(context.get("interface_languages") or ())),
        ("csrf_token", CSRF),
        ("next", NEXT),
        ("user_name", NAME),
    )
    name = user.shown_as if authenticated else ""
    return kept_html("partials/header.html", key, (str(context.get("csrf_token", "")), request.get_full_path(), name))


def _footer_context(key: Key) -> dict[str, Any]:
    context = dict(key)
    names = dict(Country.choices)  # in the active language, which is part of the key
    return {**context, "countries": list(names.items()), "country_name": names.get(context["country"], "")}


def footer_html(context: Context) -> SafeString:
    """partials/footer.html for the page whose template context is `context`: the reader's support
    centre (core.context_processors.support_centre), open or closed now, the country chooser."""
    centre = context.get("centre")
    status = context.get("centre_status")
    key = (
        ("country", centre.country if centre else ""),
        ("centre_phone", context.get("centre_phone")),
        ("centre_status", Status(**status) if status else None),
        ("chooser", bool(centre) and getattr(context["request"], "organisation", None) is None),
    )
    return kept_html("partials/footer.html", key, context=_footer_context)


def assets_html() -> SafeString:
    """base.html's styles and scripts (`{% static %}` seven times): the same on every page."""
    return kept_html("partials/assets.html", ())


def messages_html(context: Context) -> SafeString:
    """partials/messages.html when there are messages; nothing, without a template, when there are none
    (most pages)."""
    messages = context.get("messages")
    if not messages:
        return mark_safe("\n")  # what the template prints then: its last line's end
    return mark_safe(get_template("partials/messages.html").render({"messages": messages}))  # noqa: S308 (Django escaped)
