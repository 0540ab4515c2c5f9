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
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@lru_cache(maxsize=1024)
def _kept(template_name: str, key: tuple[tuple[str, Any], ...], language: str, prefix: str) -> Kept:
    # `language` and `prefix` are what the template's translations and `{% link %}` read: part of the key.
    pieces = get_template(template_name).render(dict(key)).split(_MARK)
    return Kept(texts=tuple(pieces[0::2]), slots=tuple(int(slot) for slot in pieces[1::2]))


def kept_html(template_name: str, key: tuple[tuple[str, Any], ...], values: tuple[str, ...] = ()) -> SafeString:
    """`template_name` rendered with the context `dict(key)` (hashable values), kept once printed per
    key, language and script prefix; each of CSRF, NEXT and NAME it printed replaced by `values[slot]`,
    escaped."""
    kept = _kept(template_name, key, translation.get_language() or "", get_script_prefix())
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
    name = (user.get_full_name() or user.email) if authenticated else ""
    return kept_html("partials/header.html", key, (str(context.get("csrf_token", "")), request.get_full_path(), name))


def footer_html(context: Context) -> SafeString:
    """partials/footer.html for the page whose template context is `context`: the reader's support
    centre (core.context_processors.support_centre), open or closed now, the country chooser."""
    centre = context.get("centre")
    status = context.get("centre_status")
    key = (
        ("country", centre.country if centre else ""),
        ("country_name", centre.get_country_display() if centre else ""),
        ("centre_phone", context.get("centre_phone")),
        ("centre_status", Status(**status) if status else None),
        ("countries", tuple(context.get("countries") or ())),
        ("chooser", bool(centre) and getattr(context["request"], "organisation", None) is None),
    )
    return kept_html("partials/footer.html", key)
